using MailKit;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>Settings of the email channel, bound from the <c>EmailChannel</c> configuration section.</summary>
public sealed class EmailChannelOptions
{
    /// <summary>The addresses of the accounts to serve; empty (the default) serves every configured account.</summary>
    public IList<string> Accounts { get; } = new List<string>();

    /// <summary>How each account's IMAP IDLE session restarts IDLE and reconnects. INBOX is opened read-write to flag handled mail <c>\Seen</c>.</summary>
    public ImapIdleOptions Idle { get; } = new() { FolderAccess = FolderAccess.ReadWrite };

    /// <summary>
    /// How often an account with <c>Transport: Graph</c> asks Microsoft Graph for new mail (<c>messages/delta</c>), for hosts without
    /// a public HTTPS endpoint for change notifications. Default 30 seconds.
    /// </summary>
    public TimeSpan GraphPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before restarting an account that failed with an error a reconnect cannot fix; it doubles per failure. Default 30 seconds.</summary>
    public TimeSpan InitialRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait before restarting a failed account. Default 30 minutes.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromMinutes(30);
}
