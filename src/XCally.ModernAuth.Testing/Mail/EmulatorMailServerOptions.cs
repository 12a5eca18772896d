using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Testing;

/// <summary>Limits and behaviour of an <see cref="EmulatorMailServer"/>. The defaults follow Exchange Online where it publishes a figure.</summary>
public sealed class EmulatorMailServerOptions
{
    /// <summary>The server name in greetings and replies (SMTP's <c>[host]</c>). Default <c>localhost</c>.</summary>
    public string HostName { get; set; } = "localhost";

    /// <summary>How many connections all ports together accept at once; more are refused at the greeting. Default 64.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>
    /// How many authenticated sessions one mailbox may have at once, as Exchange Online's per-mailbox limit (about 20 concurrent IMAP
    /// connections); more are refused at authentication in Exchange Online's throttling words: IMAP and POP3
    /// <c>Request is throttled. Suggested Backoff Time: N milliseconds</c> (N from <see cref="ConnectionLimitBackoff"/>), SMTP
    /// <c>432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded</c>. Default 20.
    /// </summary>
    public int MaxSessionsPerMailbox { get; set; } = 20;

    /// <summary>The back-off the connection-limit refusal suggests (<see cref="MaxSessionsPerMailbox"/>). Default 30 seconds.</summary>
    public TimeSpan ConnectionLimitBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How a valid app-only token for a mailbox the application has no FullAccess to is answered. Exchange Online does both:
    /// <see langword="false"/> (the default) accepts AUTHENTICATE and then refuses every command with
    /// <c>BAD User is authenticated but not connected.</c>; <see langword="true"/> refuses AUTHENTICATE itself
    /// (IMAP <c>NO AUTHENTICATE failed.</c>, POP3 <c>-ERR Authentication failure</c>, SMTP <c>535 5.7.3</c>), like a bad token.
    /// </summary>
    public bool RefuseAuthenticateWithoutFullAccess { get; set; }

    /// <summary>The longest command line accepted, in bytes; it must hold an AUTH line with a token. Default 16 KiB.</summary>
    public int MaxLineLength { get; set; } = 16 * 1024;

    /// <summary>The largest message accepted over SMTP DATA or IMAP APPEND, in bytes. Default 35 MiB, like Exchange Online.</summary>
    public int MaxMessageSize { get; set; } = 35 * 1024 * 1024;

    /// <summary>The most recipients of one SMTP message. Default 500, like Exchange Online.</summary>
    public int MaxRecipients { get; set; } = 500;

    /// <summary>How many invalid commands in a row end a session. Default 10.</summary>
    public int MaxBadCommands { get; set; } = 10;

    /// <summary>How long a client may stay silent (outside IMAP IDLE) before the session is closed; real time. Default 5 minutes.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an IMAP IDLE may last before the server ends the session, as Exchange does after about 30 minutes; measured with the server's <see cref="TimeProvider"/>. Default 29 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(29);

    /// <summary>When set, every session is closed once it is this old, measured with the server's <see cref="TimeProvider"/>. Default none.</summary>
    public TimeSpan? MaxSessionAge { get; set; }

    /// <summary>The clock skew allowed when checking a token's <c>nbf</c> and <c>exp</c>. Default zero.</summary>
    public TimeSpan TokenClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>Where the servers log sessions that end in an unexpected error; none when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(HostName, nameof(HostName));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessionsPerMailbox, 1, nameof(MaxSessionsPerMailbox));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConnectionLimitBackoff, TimeSpan.Zero, nameof(ConnectionLimitBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 1024, nameof(MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1024, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecipients, 1, nameof(MaxRecipients));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBadCommands, 1, nameof(MaxBadCommands));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReadTimeout, TimeSpan.Zero, nameof(ReadTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero, nameof(IdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(TokenClockSkew, TimeSpan.Zero, nameof(TokenClockSkew));
        if (MaxSessionAge is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(age, TimeSpan.Zero, nameof(MaxSessionAge));
        }
    }

    internal EmulatorMailServerOptions Clone() => (EmulatorMailServerOptions)MemberwiseClone();
}
