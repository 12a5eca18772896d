using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;

namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>
/// Seam: how the interop tests get a connected, authenticated MailKit client for a mailbox. Today <see cref="DirectMailKitClients"/>
/// drives MailKit with an <see cref="Tokens.IInteropTokenSource"/>; with the SDK, an implementation over its
/// <c>IMailClientConnector</c> replaces it (and sets <see cref="RefusesClearText"/>).
/// </summary>
public interface IInteropMailClients
{
    /// <summary>Whether this implementation refuses to send a token over a connection without TLS (the SDK's rule).</summary>
    bool RefusesClearText { get; }

    /// <summary>Connects to an IMAP server and authenticates <paramref name="mailbox"/> with a bearer token.</summary>
    /// <param name="endpoint">The server.</param>
    /// <param name="mailbox">The mailbox.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<ImapClient> ConnectImapAsync(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>Connects to a POP3 server and authenticates <paramref name="mailbox"/> with a bearer token.</summary>
    /// <param name="endpoint">The server.</param>
    /// <param name="mailbox">The mailbox.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<Pop3Client> ConnectPop3Async(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>Connects to an SMTP submission server and authenticates <paramref name="mailbox"/> with a bearer token.</summary>
    /// <param name="endpoint">The server.</param>
    /// <param name="mailbox">The mailbox.</param>
    /// <param name="mechanism">The SASL mechanism.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The authenticated client; the caller disposes it.</returns>
    Task<SmtpClient> ConnectSmtpAsync(
        MailEndpoint endpoint, string mailbox, OAuthMechanism mechanism, CancellationToken cancellationToken = default);
}
