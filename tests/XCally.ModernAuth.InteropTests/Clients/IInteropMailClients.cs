using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;

namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>
/// How the interop tests get a connected, authenticated MailKit client for one of the host's email accounts, through the SDK's
/// public API (<see cref="SdkMailClients"/>). The account's configured endpoint and TLS mode are used.
/// </summary>
public interface IInteropMailClients
{
    /// <summary>Connects to the account's IMAP server and authenticates it with a bearer token.</summary>
    /// <param name="accountAddress">The email account's address.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<ImapClient> ConnectImapAsync(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>Connects to the account's POP3 server and authenticates it with a bearer token.</summary>
    /// <param name="accountAddress">The email account's address.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<Pop3Client> ConnectPop3Async(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>Connects to the account's SMTP submission server and authenticates it with a bearer token.</summary>
    /// <param name="accountAddress">The email account's address.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<SmtpClient> ConnectSmtpAsync(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default);
}
