using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Tokens;

namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>
/// MailKit clients driven directly: a token from <paramref name="tokens"/>, SASL XOAUTH2 or OAUTHBEARER, and TLS trusted only
/// for the stack's run-time certificate. Also the building blocks the refusal tests use to send a chosen (bad) token.
/// </summary>
/// <param name="tokens">Where valid tokens come from.</param>
/// <param name="serverCertificate">The only certificate the servers may present.</param>
public sealed class DirectMailKitClients(IInteropTokenSource tokens, X509Certificate2 serverCertificate) : IInteropMailClients
{
    /// <summary>How long one protocol read or write may take before the client gives up.</summary>
    public static readonly TimeSpan ProtocolTimeout = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public bool RefusesClearText => false;

    /// <inheritdoc />
    public async Task<ImapClient> ConnectImapAsync(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default)
    {
        var token = await tokens.GetAccessTokenAsync(mailbox, cancellationToken);
        return await ConnectAsync(NewImapClient(), endpoint, Sasl(mechanism, mailbox, token), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Pop3Client> ConnectPop3Async(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default)
    {
        var token = await tokens.GetAccessTokenAsync(mailbox, cancellationToken);
        return await ConnectAsync(NewPop3Client(), endpoint, Sasl(mechanism, mailbox, token), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SmtpClient> ConnectSmtpAsync(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default)
    {
        var token = await tokens.GetAccessTokenAsync(mailbox, cancellationToken);
        return await ConnectAsync(NewSmtpClient(), endpoint, Sasl(mechanism, mailbox, token), cancellationToken);
    }

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
        var pinned = serverCertificate.GetCertHash(HashAlgorithmName.SHA256);
        client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && CryptographicOperations.FixedTimeEquals(pinned, certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (localAddress is not null)
        {
            client.LocalEndPoint = new IPEndPoint(localAddress, 0);
        }

        return client;
    }
}
