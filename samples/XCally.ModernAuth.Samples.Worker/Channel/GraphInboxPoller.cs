using MailKit;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// The channel of an account with <c>Transport: Graph</c>, for hosts without a public HTTPS endpoint for change notifications:
/// every <see cref="EmailChannelOptions.GraphPollInterval"/> it reads the INBOX's new messages through Microsoft Graph
/// (<c>messages/delta</c>), hands each to the <see cref="IMessageHandler"/>, marks it read, and commits the batch, which saves the
/// delta link in the SDK's <see cref="IMailCursorStore"/>: a restarted worker reads on from there.
/// </summary>
public sealed partial class GraphInboxPoller
{
    private readonly string _accountAddress;
    private readonly IMailTransports _transports;
    private readonly IMessageHandler _handler;
    private readonly AccountStatusBoard _board;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // Handled since the last commit: a batch that failed half-way comes back whole, and these are not handed over again.
    private readonly HashSet<string> _handledSinceCommit = new(StringComparer.Ordinal);

    /// <summary>Creates the poller of one account.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="transports">The SDK's mail transports (the account's is Graph).</param>
    /// <param name="handler">What is done with each message.</param>
    /// <param name="board">Where the account's status is reported.</param>
    /// <param name="interval">The wait between two delta reads.</param>
    /// <param name="timeProvider">The clock for the wait.</param>
    /// <param name="logger">Where handled messages are logged.</param>
    public GraphInboxPoller(
        string accountAddress,
        IMailTransports transports,
        IMessageHandler handler,
        AccountStatusBoard board,
        TimeSpan interval,
        TimeProvider timeProvider,
        ILogger<GraphInboxPoller> logger)
    {
        _accountAddress = accountAddress;
        _transports = transports;
        _handler = handler;
        _board = board;
        _interval = interval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Polls until <paramref name="stoppingToken"/> is cancelled; a failure ends the run (the account's supervisor restarts it).</summary>
    /// <param name="stoppingToken">The host's stopping token.</param>
    /// <returns>A task that ends when the host stops, or faults with the failure.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _board.Report(_accountAddress, AccountStatus.Connecting);
        while (true)
        {
            await ProcessNewMessagesAsync(stoppingToken);
            _board.Report(_accountAddress, AccountStatus.Idle);
            await Task.Delay(_interval, _timeProvider, stoppingToken);
            _board.Report(_accountAddress, AccountStatus.Connected);
        }
    }

    /// <summary>Handles every message that arrived since the last committed batch.</summary>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that ends when every new message is handled and committed.</returns>
    public async Task ProcessNewMessagesAsync(CancellationToken cancellationToken)
    {
        var transport = await _transports.GetAsync(_accountAddress, cancellationToken);
        IncomingMailBatch batch;
        do
        {
            batch = await transport.ReadNewAsync(MailFolderNames.Inbox, cancellationToken);
            foreach (var incoming in batch.Messages.Where(m => !_handledSinceCommit.Contains(m.Id)))
            {
                // A stop is taken between messages only; a handled message is always marked read and, with the last one of its
                // batch, committed, so that a worker stopped between two polls or after a batch never gets it again.
                cancellationToken.ThrowIfCancellationRequested();
                await _handler.HandleAsync(new ChannelMessage(_accountAddress, UniqueId.Invalid, incoming.Message) { GraphMessageId = incoming.Id }, cancellationToken);
                _handledSinceCommit.Add(incoming.Id);
                LogHandled(_logger, _accountAddress, incoming.Id, incoming.Message.MessageId);
                await transport.MarkReadAsync(incoming, CancellationToken.None);
            }

            await transport.CommitAsync(batch, CancellationToken.None);
            _handledSinceCommit.Clear();
        }
        while (batch.HasMore);
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "{Account}: handled Graph message {Id} (Message-Id {MessageId})")]
    private static partial void LogHandled(ILogger logger, string account, string id, string? messageId);
}
