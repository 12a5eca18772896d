using MailKit;
using MailKit.Search;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// Hands every message of an account's INBOX to the <see cref="IMessageHandler"/> once, across reconnects and restarts: it asks
/// the server only for UIDs above the highest one handled, records each UID as soon as its message is handled, then flags the
/// message <c>\Seen</c> for the people who also read the mailbox. Towards the handler this is at least once: a message whose
/// handler did not return (the connection dropped, the host stopped) is handed over again, so a handler that must not repeat
/// itself keys its work by <c>Message-Id</c>.
/// </summary>
public sealed partial class InboxProcessor
{
    private readonly string _accountAddress;
    private readonly IChannelStateStore _stateStore;
    private readonly IMessageHandler _handler;
    private readonly ILogger _logger;

    // Handled messages whose \Seen flag was not set because the connection dropped first; flagged on the next call.
    private readonly List<UniqueId> _unflagged = [];

    /// <summary>Creates the processor of one account.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="stateStore">Where the highest handled UID is kept.</param>
    /// <param name="handler">What is done with each message.</param>
    /// <param name="logger">Where handled messages are logged.</param>
    public InboxProcessor(string accountAddress, IChannelStateStore stateStore, IMessageHandler handler, ILogger<InboxProcessor> logger)
    {
        _accountAddress = accountAddress;
        _stateStore = stateStore;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>Handles the messages that arrived since the last handled one. Called by the IDLE session between IDLE commands.</summary>
    /// <param name="inbox">INBOX, open read-write.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that ends when every new message is handled.</returns>
    public async Task ProcessNewMessagesAsync(IMailFolder inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var state = await _stateStore.GetAsync(_accountAddress, cancellationToken);
        if (_unflagged.Count > 0)
        {
            if (state?.UidValidity == inbox.UidValidity)
            {
                await inbox.AddFlagsAsync(_unflagged, MessageFlags.Seen, silent: true, cancellationToken);
            }

            _unflagged.Clear();
        }

        var highest = 0u;
        IList<UniqueId> candidates;
        if (state is not null && state.UidValidity == inbox.UidValidity)
        {
            highest = state.HighestHandledUid;
            candidates = await inbox.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(highest + 1), UniqueId.MaxValue)), cancellationToken);
        }
        else
        {
            // First start, or the server rebuilt the folder and its UIDs mean something else now: what is unread is what is left.
            if (state is not null)
            {
                LogUidValidityChanged(_logger, _accountAddress, state.UidValidity, inbox.UidValidity);
            }

            candidates = await inbox.SearchAsync(SearchQuery.NotSeen, cancellationToken);
        }

        // "UID n:*" always matches the last message, even below n (RFC 3501 6.4.8), hence the filter.
        foreach (var uid in candidates.Where(u => u.Id > highest).OrderBy(u => u.Id))
        {
            var message = await inbox.GetMessageAsync(uid, cancellationToken);
            await _handler.HandleAsync(new ChannelMessage(_accountAddress, uid, message), cancellationToken);

            // Recorded before anything else can fail, and even while stopping: the message is handled, it must not come back.
            await _stateStore.SaveAsync(_accountAddress, new ChannelState(inbox.UidValidity, uid.Id), CancellationToken.None);
            LogHandled(_logger, _accountAddress, uid.Id, message.MessageId);
            _unflagged.Add(uid);
            await inbox.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken);
            _unflagged.Remove(uid);
        }
    }
}
