using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The <see cref="MailTransport.Imap"/> transport: SMTP submission for sending, IMAP for reading, both through the
/// <see cref="IMailClientConnector"/>. Its cursor is <c>UIDVALIDITY:last UID</c>; a folder whose UIDVALIDITY changed is read anew.
/// </summary>
internal sealed class ImapSmtpMailTransport(EmailAccount account, IMailClientConnector connector, IMailCursorStore cursors) : IMailTransport
{
    /// <summary>At most this many messages per batch, so one read never holds a whole mailbox in memory.</summary>
    internal const int MaxBatchSize = 100;

    public EmailAccount Account { get; } = account;

    public MailTransport Kind => MailTransport.Imap;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(Account.Address));
        }

        using var smtp = await connector.ConnectSmtpAsync(Account, cancellationToken).ConfigureAwait(false);
        await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await smtp.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IncomingMailBatch> ReadNewAsync(string folder = MailFolderNames.Inbox, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var saved = Cursor.Parse(await cursors.GetAsync(Account.Address, folder, cancellationToken).ConfigureAwait(false));
        using var imap = await connector.ConnectImapAsync(Account, cancellationToken).ConfigureAwait(false);
        var mailFolder = await OpenAsync(imap, folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        var validity = mailFolder.UidValidity;
        var after = saved is { } cursor && cursor.UidValidity == validity ? cursor.LastUid : 0u;

        // "n:*" always matches the newest message, even below n: keep only UIDs above the cursor.
        var uids = (await mailFolder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(after + 1), UniqueId.MaxValue)), cancellationToken).ConfigureAwait(false))
            .Where(uid => uid.Id > after)
            .OrderBy(uid => uid.Id)
            .ToList();
        var messages = new List<IncomingMessage>();
        var last = after;
        foreach (var uid in uids.Take(MaxBatchSize))
        {
            var message = await mailFolder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            messages.Add(new IncomingMessage(Id(validity, uid.Id), folder, message));
            last = uid.Id;
        }

        await imap.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return new IncomingMailBatch(Account.Address, folder, messages, new Cursor(validity, last).ToString(), uids.Count > MaxBatchSize);
    }

    public async Task CommitAsync(IncomingMailBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        MailTransportChecks.OwnBatch(Account, batch);
        await cursors.SetAsync(Account.Address, batch.Folder, batch.Cursor, cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkReadAsync(IncomingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var imap = await connector.ConnectImapAsync(Account, cancellationToken).ConfigureAwait(false);
        var folder = await OpenAsync(imap, message.Folder, FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        await folder.AddFlagsAsync(Uid(folder, message), MessageFlags.Seen, silent: true, cancellationToken).ConfigureAwait(false);
        await imap.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task MoveAsync(IncomingMessage message, string destinationFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationFolder);
        using var imap = await connector.ConnectImapAsync(Account, cancellationToken).ConfigureAwait(false);
        var folder = await OpenAsync(imap, message.Folder, FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var destination = await FindFolderAsync(imap, destinationFolder, cancellationToken).ConfigureAwait(false);
        await folder.MoveToAsync(Uid(folder, message), destination, cancellationToken).ConfigureAwait(false);
        await imap.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => $"IMAP/SMTP transport of {Account.Address}";

    private static string Id(uint validity, uint uid) =>
        string.Create(CultureInfo.InvariantCulture, $"{validity}:{uid}");

    private static async Task<IMailFolder> OpenAsync(ImapClient imap, string folder, FolderAccess access, CancellationToken cancellationToken)
    {
        var mailFolder = await FindFolderAsync(imap, folder, cancellationToken).ConfigureAwait(false);
        await mailFolder.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        return mailFolder;
    }

    private static async Task<IMailFolder> FindFolderAsync(ImapClient imap, string folder, CancellationToken cancellationToken)
    {
        var path = MailFolderNames.ToImapFolder(folder);
        if (string.Equals(path, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return imap.Inbox;
        }

        try
        {
            return await imap.GetFolderAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException exception)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.RequestRejected,
                $"The mailbox has no IMAP folder '{path}'.",
                "Use a well-known folder name (Inbox, SentItems, DeletedItems, Drafts, JunkEmail, Archive) or the folder's name as the mailbox shows it.",
                exception);
        }
    }

    private UniqueId Uid(IMailFolder folder, IncomingMessage message)
    {
        var parts = message.Id.Split(':');
        if (parts.Length != 2
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            throw new ArgumentException($"'{message.Id}' is not an id of the IMAP transport; pass a message it returned.", nameof(message));
        }

        if (validity != folder.UidValidity)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.RequestRejected,
                $"The IMAP folder '{folder.FullName}' of '{Account.Address}' was rebuilt (UIDVALIDITY {folder.UidValidity}, not {validity}): message {message.Id} can no longer be found by its id.",
                "Read the folder again with ReadNewAsync.")
            {
                AccountAddress = Account.Address,
            };
        }

        return new UniqueId(uid);
    }

    private readonly record struct Cursor(uint UidValidity, uint LastUid)
    {
        public static Cursor? Parse(string? text)
        {
            var parts = text?.Split(':');
            return parts is [var validity, var uid]
                && uint.TryParse(validity, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                && uint.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                ? new Cursor(v, u)
                : null;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UidValidity}:{LastUid}");
    }
}
