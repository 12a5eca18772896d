using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Proxy;
using MailKit.Security;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Turns what MailKit and the socket layer throw while connecting (DNS, a refused connection, a proxy, a time-out, a TLS
/// handshake with an untrusted certificate or with a plain-text port) into a <see cref="ModernAuthException"/> that names the
/// endpoint, the cause and the fix, keeping the original as the inner exception.
/// </summary>
internal static class MailConnectFailures
{
    /// <summary>The exception for a failed connect, or <see langword="null"/> when <paramref name="exception"/> is not a network failure.</summary>
    /// <param name="exception">What the connect threw.</param>
    /// <param name="account">The account.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="proxy">The proxy the connection went through, if any.</param>
    /// <returns>The exception to throw instead.</returns>
    public static ModernAuthException? Translate(Exception exception, EmailAccount account, MailProtocol protocol, MailEndpoint endpoint, IProxyClient? proxy)
    {
        var name = protocol.ToString().ToUpperInvariant();
        var via = proxy is null ? string.Empty : $" through the proxy {proxy.ProxyHost}:{proxy.ProxyPort}";
        var setting = $"EmailAccounts[].{protocol}";
        var (category, message, advice) = exception switch
        {
            SslHandshakeException { ServerCertificate: { } certificate } => (
                ModernAuthErrorCategory.InsecureConnection,
                $"The {name} server at {endpoint}{via} presented a certificate this machine does not trust ({Describe(certificate)}), so no access "
                    + $"token for {account.Address} was sent to it.",
                "For a server whose certificate comes from a private CA (a hybrid or on-premises relay), add that CA's root to "
                    + "MailConnectorOptions.TrustedRootCertificates (ConfigureMailConnector(o => o.TrustedRootCertificates.Add(root))) or to this "
                    + "machine's trust store; for a test server, pin its certificate with MailConnectorOptions.ServerCertificateValidationCallback. "
                    + "If the host name does not match the certificate, use the name the certificate is issued to. Never accept every certificate."),
            SslHandshakeException => (
                ModernAuthErrorCategory.NetworkError,
                $"The TLS handshake with the {name} server at {endpoint}{via} failed ({Inner(exception)}): the port may not speak TLS from the "
                    + "first byte (a plain-text or STARTTLS port set as Implicit), or something on the path broke the handshake.",
                $"Check the host, port and TlsMode of {setting} for {account.Address}: Implicit on 993 (IMAP) or 995 (POP3), StartTls on 587 (SMTP); "
                    + "Exchange Online: outlook.office365.com:993, outlook.office365.com:995, smtp.office365.com:587."),
            ProxyProtocolException => (
                ModernAuthErrorCategory.NetworkError,
                $"The proxy {proxy?.ProxyHost}:{proxy?.ProxyPort} refused or broke the connection to the {name} server at {endpoint} "
                    + $"for {account.Address} ({Inner(exception)}).",
                "Check MailConnectorOptions.ProxyClient (or ProxySelector): its host, port, credentials, and that it allows CONNECT to the mail "
                    + "ports (993, 995, 587)."),
            SocketException socket => (
                ModernAuthErrorCategory.NetworkError,
                $"The {name} server at {endpoint}{via} could not be reached for {account.Address}: {Socket(socket)}.",
                $"Check the host and port of {setting} (Exchange Online: outlook.office365.com:993, outlook.office365.com:995, "
                    + "smtp.office365.com:587), DNS, and that the firewall lets this machine out to that port; behind a corporate proxy set "
                    + "MailConnectorOptions.ProxyClient (HttpProxyClient or Socks5Client)."),
            TimeoutException or OperationCanceledException => (
                ModernAuthErrorCategory.NetworkError,
                $"Connecting to the {name} server at {endpoint}{via} for {account.Address} timed out.",
                "A firewall or proxy holding the connection is the usual cause: check outbound access to that port, or set "
                    + "MailConnectorOptions.ProxyClient; raise MailConnectorOptions.Timeout only for a slow link."),
            IOException => (
                ModernAuthErrorCategory.NetworkError,
                $"The connection to the {name} server at {endpoint}{via} for {account.Address} broke while connecting ({Inner(exception)}).",
                $"Check the host, port and TlsMode of {setting}, and what stands on the network path (proxy, firewall, TLS inspection)."),
            _ => (ModernAuthErrorCategory.Unknown, string.Empty, string.Empty),
        };

        return category == ModernAuthErrorCategory.Unknown
            ? null
            : new ModernAuthException(category, message, advice, exception)
            {
                AccountAddress = account.Address,
                CloudProviderName = account.CloudProviderName,
            };
    }

    private static string Describe(X509Certificate certificate) =>
        $"subject {certificate.Subject}, issued by {certificate.Issuer}";

    private static string Socket(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name is not found (DNS)",
        SocketError.ConnectionRefused => "nothing listens on that port (connection refused)",
        SocketError.TimedOut => "the connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the network or host is unreachable",
        SocketError.ConnectionReset => "the connection was reset",
        _ => $"{exception.SocketErrorCode} ({exception.Message})",
    };

    private static string Inner(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.TrimEnd('.');
    }
}
