using System.Diagnostics.CodeAnalysis;

namespace XCally.ModernAuth;

/// <summary>
/// Hands out access tokens for an email account and a protocol. Thread-safe. In steady state a call returns a cached token
/// without waiting on the identity platform; tokens are refreshed in the background before they expire.
/// </summary>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in a required parameter (protocol or resource), so no call is ambiguous.")]
public interface ITokenProvider
{
    /// <summary>Gets a valid access token for an account and protocol.</summary>
    /// <param name="account">The email account.</param>
    /// <param name="protocol">The protocol the token is for.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ModernAuthException">No token could be obtained; the exception names the cause and the fix.</exception>
    ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, MailProtocol protocol, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops a token that a mail server refused, so that the next <see cref="GetAccessTokenAsync(EmailAccount, MailProtocol, CancellationToken)"/> obtains a fresh one.
    /// A token that was already replaced is left alone, so concurrent callers do not cause a refresh storm.
    /// </summary>
    /// <param name="account">The email account.</param>
    /// <param name="protocol">The protocol the token was used for.</param>
    /// <param name="refused">The token that was refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the token is dropped.</returns>
    ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default);

    /// <summary>Gets a valid access token of an account for a resource (Exchange Online's mail protocols, or Microsoft Graph).</summary>
    /// <param name="account">The email account.</param>
    /// <param name="resource">The API the token is for; each resource has its own cached token.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ModernAuthException">No token could be obtained; the exception names the cause and the fix.</exception>
    /// <exception cref="NotSupportedException">This provider only knows Exchange Online (the default for implementations written before Graph).</exception>
    ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, TokenResource resource, CancellationToken cancellationToken = default) =>
        resource == TokenResource.ExchangeOnline
            ? GetAccessTokenAsync(account, MailProtocol.Imap, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} does not issue tokens for {resource}.");

    /// <summary>Drops a token of a resource that its API refused (see <see cref="InvalidateAsync(EmailAccount, MailProtocol, AccessToken, CancellationToken)"/>).</summary>
    /// <param name="account">The email account.</param>
    /// <param name="resource">The API that refused the token.</param>
    /// <param name="refused">The token that was refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the token is dropped.</returns>
    ValueTask InvalidateAsync(EmailAccount account, TokenResource resource, AccessToken refused, CancellationToken cancellationToken = default) =>
        resource == TokenResource.ExchangeOnline
            ? InvalidateAsync(account, MailProtocol.Imap, refused, cancellationToken)
            : ValueTask.CompletedTask;
}
