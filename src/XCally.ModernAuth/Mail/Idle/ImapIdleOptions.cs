using MailKit;

namespace XCally.ModernAuth;

/// <summary>How an <see cref="ImapIdleSession"/> watches INBOX and reconnects.</summary>
public sealed class ImapIdleOptions
{
    /// <summary>How INBOX is opened; default <see cref="FolderAccess.ReadOnly"/>. Use <see cref="FolderAccess.ReadWrite"/> to set flags.</summary>
    public FolderAccess FolderAccess { get; set; } = FolderAccess.ReadOnly;

    /// <summary>How long one IDLE command runs before it is restarted; RFC 2177 asks for under 29 minutes. Default 25 minutes.</summary>
    public TimeSpan IdleRestartInterval { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>How often a server without IDLE is polled with NOOP. Default 1 minute.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait before the first reconnect attempt; it doubles on each failed attempt. Default 1 second.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts. Default 5 minutes.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(5);
}
