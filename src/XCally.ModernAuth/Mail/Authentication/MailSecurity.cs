using System.Net;
using MailKit.Security;

namespace XCally.ModernAuth.Internal;

/// <summary>TLS decisions shared by the authenticator and the connector.</summary>
internal static class MailSecurity
{
    /// <summary>The MailKit socket options of a TLS mode. STARTTLS is required, never "when available".</summary>
    /// <param name="mode">The account's TLS mode.</param>
    /// <returns>The socket options.</returns>
    public static SecureSocketOptions ToSecureSocketOptions(this MailTlsMode mode) => mode switch
    {
        MailTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        MailTlsMode.StartTls => SecureSocketOptions.StartTls,
        MailTlsMode.None => SecureSocketOptions.None,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown TLS mode."),
    };

    /// <summary>Whether a host name is this machine (<c>localhost</c>, 127.0.0.0/8 or ::1).</summary>
    /// <param name="host">The host name or address.</param>
    /// <returns><see langword="true"/> for a loopback host.</returns>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Whether clear text is allowed for an endpoint: only on loopback, and only when the host opted in.</summary>
    /// <param name="endpoint">The endpoint, if known.</param>
    /// <param name="allowClearTextOnLoopback">The opt-in.</param>
    /// <returns><see langword="true"/> when a token may be sent without TLS.</returns>
    public static bool ClearTextAllowed(MailEndpoint? endpoint, bool allowClearTextOnLoopback) =>
        allowClearTextOnLoopback && endpoint is not null && IsLoopback(endpoint.Host);

    /// <summary>The refusal to send a token without TLS.</summary>
    /// <param name="account">The account.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="endpoint">The endpoint description.</param>
    /// <param name="reason">Why the connection is not protected.</param>
    /// <returns>The exception to throw.</returns>
    public static ModernAuthException Insecure(EmailAccount account, MailProtocol protocol, string endpoint, string reason) =>
        new(
            ModernAuthErrorCategory.InsecureConnection,
            $"No access token for {account.Address} is sent to the {protocol.ToString().ToUpperInvariant()} server {endpoint}: {reason}",
            $"Use TLS: set the {protocol} TlsMode of email account {account.Address} (EmailAccounts[].{protocol}.TlsMode) to Implicit (IMAP 993, POP3 995) or StartTls (SMTP 587) and the matching port.")
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
        };
}
