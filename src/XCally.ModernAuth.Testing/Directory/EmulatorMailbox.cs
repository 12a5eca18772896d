using System.Collections.Concurrent;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing;

/// <summary>A mailbox on the emulator's mail servers.</summary>
public sealed class EmulatorMailbox
{
    /// <summary>The inbox, where delivered mail goes.</summary>
    public const string Inbox = "INBOX";

    /// <summary>The folder keeping a copy of the mail the mailbox sent over SMTP.</summary>
    public const string SentItems = "Sent Items";

    /// <summary>The folder for deleted mail.</summary>
    public const string DeletedItems = "Deleted Items";

    /// <summary>The folder for drafts.</summary>
    public const string Drafts = "Drafts";

    /// <summary>The folder for junk mail.</summary>
    public const string JunkEmail = "Junk Email";

    private readonly ConcurrentDictionary<string, byte> _fullAccessApplications = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _delegateUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly EmulatorMailFolder[] _folders = [new(Inbox), new(Drafts), new(SentItems), new(DeletedItems), new(JunkEmail)];

    internal EmulatorMailbox(EmulatorTenant tenant, string address, EmulatorUser? owner)
    {
        Tenant = tenant;
        Address = address;
        Owner = owner;
    }

    /// <summary>The mailbox's tenant.</summary>
    public EmulatorTenant Tenant { get; }

    /// <summary>The mailbox's address (the login name on the mail servers).</summary>
    public string Address { get; }

    /// <summary>The user whose mailbox it is, or <see langword="null"/> for a shared mailbox.</summary>
    public EmulatorUser? Owner { get; }

    /// <summary>Whether SMTP AUTH is enabled for the mailbox; when <see langword="false"/> SMTP logins get <c>535 5.7.139</c>. Default <see langword="true"/>.</summary>
    public bool SmtpAuthEnabled { get; set; } = true;

    /// <summary>The client ids of the applications granted full access (Exchange's <c>Add-MailboxPermission</c>).</summary>
    public IEnumerable<string> FullAccessApplications => _fullAccessApplications.Keys;

    /// <summary>Grants an application full access to this mailbox, like <c>Add-MailboxPermission -AccessRights FullAccess</c>.</summary>
    /// <param name="application">The application.</param>
    public void GrantFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications[application.ClientId] = 0;
    }

    /// <summary>Takes full access away from an application, like <c>Remove-MailboxPermission</c>.</summary>
    /// <param name="application">The application.</param>
    public void RevokeFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications.TryRemove(application.ClientId, out _);
    }

    /// <summary>Whether an application has full access to this mailbox.</summary>
    /// <param name="clientId">The application's client id.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasFullAccess(string clientId) => _fullAccessApplications.ContainsKey(clientId);

    /// <summary>
    /// Users who may open and send from this (shared) mailbox over Microsoft Graph with the <c>.Shared</c> delegated
    /// permissions: Exchange's <c>Add-MailboxPermission -AccessRights FullAccess</c> and <c>Add-RecipientPermission -AccessRights SendAs</c>.
    /// </summary>
    /// <param name="user">The user.</param>
    public void GrantUserAccess(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _delegateUsers[user.UserPrincipalName] = 0;
    }

    /// <summary>Whether a user was given access with <see cref="GrantUserAccess"/>.</summary>
    /// <param name="userPrincipalName">The user's principal name.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasUserAccess(string userPrincipalName) => _delegateUsers.ContainsKey(userPrincipalName);

    /// <summary>Raised after a message was put into one of the mailbox's folders, over SMTP or by <see cref="Deliver"/>.</summary>
    public event EventHandler<EmulatorMessageDeliveredEventArgs>? MessageDelivered;

    /// <summary>The names of the mailbox's folders, as IMAP lists them.</summary>
    public IEnumerable<string> Folders => _folders.Select(f => f.Name);

    /// <summary>The messages in the <see cref="Inbox"/>, oldest first, each a fresh copy.</summary>
    public IReadOnlyList<MimeMessage> Messages => GetMessages(Inbox);

    internal IReadOnlyList<EmulatorMailFolder> MailFolders => _folders;

    /// <summary>The messages in a folder, oldest first, each a fresh copy.</summary>
    /// <param name="folder">The folder's name, e.g. <see cref="SentItems"/>.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="ArgumentException">The mailbox has no such folder.</exception>
    public IReadOnlyList<MimeMessage> GetMessages(string folder) =>
        [.. RequireFolder(folder).Snapshot().Select(m => MimeMessage.Load(new MemoryStream(m.Raw, writable: false)))];

    /// <summary>Puts a message straight into a folder, as if it had been delivered; IMAP sessions idling on it are told at once.</summary>
    /// <param name="message">The message.</param>
    /// <param name="folder">The folder's name; the <see cref="Inbox"/> when omitted.</param>
    /// <param name="receivedAt">The IMAP internal date; the message's <c>Date</c> header, or now, when omitted.</param>
    public void Deliver(MimeMessage message, string folder = Inbox, DateTimeOffset? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        message.WriteTo(SetCrLf(FormatOptions.Default.Clone()), stream);
        var date = receivedAt ?? (message.Headers.Contains(HeaderId.Date) ? message.Date : TimeProvider.System.GetUtcNow());
        DeliverRaw(stream.ToArray(), RequireFolder(folder), date);
    }

    internal EmulatorMailFolder? FindFolder(string name) =>
        _folders.FirstOrDefault(f => string.Equals(f.Name, name, string.Equals(name, Inbox, StringComparison.OrdinalIgnoreCase) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    internal EmulatorStoredMessage DeliverRaw(byte[] raw, EmulatorMailFolder folder, DateTimeOffset receivedAt, IEnumerable<string>? flags = null)
    {
        var stored = folder.Append(raw, receivedAt, flags);
        MessageDelivered?.Invoke(this, new EmulatorMessageDeliveredEventArgs(this, folder.Name, MimeMessage.Load(new MemoryStream(raw, writable: false)), stored.Uid));
        return stored;
    }

    private static FormatOptions SetCrLf(FormatOptions options)
    {
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    private EmulatorMailFolder RequireFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return FindFolder(folder) ?? throw new ArgumentException($"Mailbox {Address} has no folder '{folder}'; its folders are {string.Join(", ", Folders)}.", nameof(folder));
    }

    /// <inheritdoc />
    public override string ToString() => Address;
}
