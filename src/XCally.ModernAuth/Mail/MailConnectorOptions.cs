using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Proxy;

namespace XCally.ModernAuth;

/// <summary>How <see cref="IMailClientConnector"/> connects: certificate checks, proxies, timeouts, protocol logging.</summary>
public sealed class MailConnectorOptions
{
    /// <summary>
    /// Checks the server's certificate instead of the system's validation; <see langword="null"/> (the default) keeps system validation.
    /// Meant for a test server or the emulator whose certificate is made at run time: compare its thumbprint, do not accept any certificate.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>
    /// Private root certificates that a mail server's certificate may chain to, besides the system's trusted roots: for a hybrid or
    /// on-premises relay whose certificate comes from a company CA. The chain is built with these as its only extra trust anchors; the
    /// host name must still match. Ignored when <see cref="ServerCertificateValidationCallback"/> is set. Empty by default.
    /// </summary>
    public X509Certificate2Collection TrustedRootCertificates { get; } = [];

    /// <summary>
    /// The proxy every mail connection goes through (MailKit's <see cref="HttpProxyClient"/> for HTTP CONNECT, <see cref="Socks5Client"/>
    /// for SOCKS5), e.g. <c>new HttpProxyClient("proxy.contoso.com", 8080)</c>; <see langword="null"/> (the default) connects directly.
    /// <see cref="ProxySelector"/> picks one per account instead.
    /// </summary>
    public IProxyClient? ProxyClient { get; set; }

    /// <summary>
    /// Picks the proxy of one account and protocol (or <see langword="null"/> to connect directly); when set it wins over
    /// <see cref="ProxyClient"/>. E.g. <c>(account, protocol) => account.Address.EndsWith("@onprem.contoso.com") ? null : corporateProxy</c>.
    /// </summary>
    public Func<EmailAccount, MailProtocol, IProxyClient?>? ProxySelector { get; set; }

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
    /// Whether the SMTP clients of <see cref="IMailClientConnector.ConnectSmtpAsync(EmailAccount, CancellationToken)"/> check, before
    /// sending, that a message's <c>From</c>, <c>Sender</c> and envelope sender fit what the account sends as (its address with Send
    /// As, or on behalf of it with <c>Sender:</c> its signed-in user), and refuse the message with
    /// <see cref="ModernAuthErrorCategory.SendAsDenied"/> instead of letting Exchange Online bounce it. Default <see langword="true"/>;
    /// turn it off only for a host that sends as addresses its accounts do not name.
    /// </summary>
    public bool VerifySender { get; set; } = true;

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
