using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>
/// MailKit clients driven directly, with TLS trusted only for the stack's run-time certificate: the building blocks of the tests
/// that look at what the servers offer or send a chosen token below the SDK, and of <see cref="SdkMailClients"/>' OAUTHBEARER path.
/// </summary>
/// <param name="serverCertificate">The only certificate the servers may present.</param>
public sealed class DirectMailKitClients(X509Certificate2 serverCertificate)
{
    /// <summary>How long one protocol read or write may take before the client gives up.</summary>
    public static readonly TimeSpan ProtocolTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Whether a certificate is the stack's, for MailKit's and the SDK's validation callbacks.</summary>
    /// <param name="certificate">The certificate the server presented.</param>
    /// <returns><see langword="true"/> only for the stack's certificate.</returns>
    public bool IsStackCertificate(X509Certificate? certificate) =>
        certificate is not null
        && CryptographicOperations.FixedTimeEquals(serverCertificate.GetCertHash(HashAlgorithmName.SHA256), certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>An IMAP client that trusts only the stack's certificate.</summary>
    /// <param name="localAddress">The local address to connect from, or <see langword="null"/> for the system's choice.</param>
    /// <returns>A new client.</returns>
    public ImapClient NewImapClient(IPAddress? localAddress = null) => Configure(new ImapClient(), localAddress);

    /// <summary>A POP3 client that trusts only the stack's certificate.</summary>
    /// <param name="localAddress">The local address to connect from, or <see langword="null"/> for the system's choice.</param>
    /// <returns>A new client.</returns>
    public Pop3Client NewPop3Client(IPAddress? localAddress = null) => Configure(new Pop3Client(), localAddress);

    /// <summary>An SMTP client that trusts only the stack's certificate.</summary>
    /// <param name="localAddress">The local address to connect from, or <see langword="null"/> for the system's choice.</param>
    /// <returns>A new client.</returns>
    public SmtpClient NewSmtpClient(IPAddress? localAddress = null) => Configure(new SmtpClient(), localAddress);

    /// <summary>The SASL mechanism object for a token.</summary>
    /// <param name="mechanism">Which mechanism.</param>
    /// <param name="mailbox">The login name.</param>
    /// <param name="token">The bearer token.</param>
    /// <returns>The mechanism.</returns>
    public static SaslMechanism Sasl(OAuthMechanism mechanism, string mailbox, string token) => mechanism switch
    {
        OAuthMechanism.XOAuth2 => new SaslMechanismOAuth2(mailbox, token),
        OAuthMechanism.OAuthBearer => new SaslMechanismOAuthBearer(mailbox, token),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unknown mechanism."),
    };

    /// <summary>Connects <paramref name="client"/> and authenticates it; disposes it if either step fails.</summary>
    /// <typeparam name="TClient">The client type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="endpoint">The server.</param>
    /// <param name="sasl">The mechanism carrying the token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client.</returns>
    public static async Task<TClient> ConnectAsync<TClient>(
        TClient client, MailEndpoint endpoint, SaslMechanism sasl, CancellationToken cancellationToken)
        where TClient : IMailService
    {
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, ToMailKit(endpoint.TlsMode), cancellationToken);
            await client.AuthenticateAsync(sasl, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The MailKit socket option for a TLS mode.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>The option.</returns>
    public static SecureSocketOptions ToMailKit(MailTlsMode mode) => mode switch
    {
        MailTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        MailTlsMode.StartTls => SecureSocketOptions.StartTls,
        MailTlsMode.None => SecureSocketOptions.None,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown TLS mode."),
    };

    private TClient Configure<TClient>(TClient client, IPAddress? localAddress)
        where TClient : MailService
    {
        client.Timeout = (int)ProtocolTimeout.TotalMilliseconds;
        client.CheckCertificateRevocation = false;
        client.ServerCertificateValidationCallback = (_, certificate, _, _) => IsStackCertificate(certificate);
        if (localAddress is not null)
        {
            client.LocalEndPoint = new IPEndPoint(localAddress, 0);
        }

        return client;
    }
}
