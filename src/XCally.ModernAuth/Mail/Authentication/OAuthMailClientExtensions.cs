using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth;

/// <summary>
/// Authenticates connected MailKit clients with an access token (SASL XOAUTH2, or OAUTHBEARER when that is all the server offers).
/// Each call builds a new SASL mechanism with a token fetched for it. A refused token is invalidated and one fresh token is tried
/// (reconnecting to the account's endpoint if the server hung up). Failures are <see cref="ModernAuthException"/>s that name the fix.
/// </summary>
/// <remarks>No token is sent unless <see cref="IMailService.IsSecure"/> is true. <see cref="IMailClientConnector"/> does the connecting too.</remarks>
#pragma warning disable RS0026 // The overloads differ in the type of their first parameter, never in which optional parameters they take.
public static class OAuthMailClientExtensions
{
    /// <summary>Authenticates a connected IMAP client as an email account.</summary>
    /// <param name="client">The connected client.</param>
    /// <param name="account">The account: its <see cref="EmailAccount.UserName"/> is sent as <c>user=</c>.</param>
    /// <param name="tokenProvider">Where tokens come from.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the client is authenticated.</returns>
    /// <exception cref="ModernAuthException">No TLS, no OAuth mechanism, no token, or the server refused the token.</exception>
    public static Task AuthenticateAsync(this ImapClient client, EmailAccount account, ITokenProvider tokenProvider, CancellationToken cancellationToken = default) =>
        AuthenticateCoreAsync(client, account, MailProtocol.Imap, tokenProvider, cancellationToken);

    /// <summary>Authenticates a connected POP3 client as an email account.</summary>
    /// <param name="client">The connected client.</param>
    /// <param name="account">The account: its <see cref="EmailAccount.UserName"/> is sent as <c>user=</c>.</param>
    /// <param name="tokenProvider">Where tokens come from.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the client is authenticated.</returns>
    /// <exception cref="ModernAuthException">No TLS, no OAuth mechanism, no token, or the server refused the token.</exception>
    public static Task AuthenticateAsync(this Pop3Client client, EmailAccount account, ITokenProvider tokenProvider, CancellationToken cancellationToken = default) =>
        AuthenticateCoreAsync(client, account, MailProtocol.Pop3, tokenProvider, cancellationToken);

    /// <summary>Authenticates a connected SMTP client as an email account.</summary>
    /// <param name="client">The connected client (after STARTTLS).</param>
    /// <param name="account">The account: its <see cref="EmailAccount.UserName"/> is sent as <c>user=</c>.</param>
    /// <param name="tokenProvider">Where tokens come from.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the client is authenticated.</returns>
    /// <exception cref="ModernAuthException">No TLS, no OAuth mechanism, no token, SMTP AUTH disabled, or the server refused the token.</exception>
    public static Task AuthenticateAsync(this SmtpClient client, EmailAccount account, ITokenProvider tokenProvider, CancellationToken cancellationToken = default) =>
        AuthenticateCoreAsync(client, account, MailProtocol.Smtp, tokenProvider, cancellationToken);

    private static Task AuthenticateCoreAsync(IMailService client, EmailAccount account, MailProtocol protocol, ITokenProvider tokenProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        var endpoint = account.GetEndpoint(protocol);
        var context = new OAuthAuthenticationContext(account, protocol, tokenProvider)
        {
            // What is known of refused tokens is per token provider, shared by every client authenticated with it.
            RefusalPolicy = TokenRefusalPolicies.For(tokenProvider),
            Reconnect = endpoint is null
                ? null
                : ct => client.ConnectAsync(endpoint.Host, endpoint.Port, endpoint.TlsMode.ToSecureSocketOptions(), ct),
        };
        return OAuthAuthenticator.AuthenticateAsync(client, context, cancellationToken);
    }
}
#pragma warning restore RS0026
