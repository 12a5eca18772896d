using System.Net.Security;
using MailKit;

namespace XCally.ModernAuth;

/// <summary>How <see cref="IMailClientConnector"/> connects: certificate checks, timeouts, protocol logging.</summary>
public sealed class MailConnectorOptions
{
    /// <summary>
    /// Checks the server's certificate instead of the system's validation; <see langword="null"/> (the default) keeps system validation.
    /// Meant for a test server or the emulator whose certificate is made at run time: compare its thumbprint, do not accept any certificate.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>
    /// Lets an account whose endpoint is a loopback host (<c>localhost</c>, 127.0.0.0/8, ::1) send its token without TLS. For tests
    /// only; default <see langword="false"/>. Other hosts are never allowed clear text.
    /// </summary>
    public bool AllowClearTextOnLoopback { get; set; }

    /// <summary>The connect and per-command timeout of the MailKit clients; default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether <see cref="IMailClientConnector.ConnectImapAsync(EmailAccount, CancellationToken)"/> checks, right after signing in, that
    /// the token's identity can reach the mailbox (a STATUS of INBOX), so that a missing mailbox permission fails at connect time
    /// instead of on the first real command. Default <see langword="true"/>.
    /// </summary>
    public bool VerifyMailboxAccess { get; set; } = true;

    /// <summary>
    /// Returns a protocol logger for a new client (or <see langword="null"/> for none), e.g. <c>(account, protocol) => new ProtocolLogger($"{protocol}.log")</c>.
    /// The connector wraps it in a <see cref="RedactingProtocolLogger"/>, so it never sees a token; the connector's client disposes it.
    /// </summary>
    public Func<EmailAccount, MailProtocol, IProtocolLogger?>? ProtocolLoggerFactory { get; set; }

    /// <summary>
    /// Writes the protocol transcript, tokens redacted, to the <c>XCally.ModernAuth.Mail.Protocol</c> logger at Trace level.
    /// Ignored when <see cref="ProtocolLoggerFactory"/> returns a logger. Default <see langword="false"/>.
    /// </summary>
    public bool LogProtocol { get; set; }
}
