namespace XCally.ModernAuth;

/// <summary>
/// Hands out access tokens for an email account and a protocol. Thread-safe. In steady state a call returns a cached token
/// without waiting on the identity platform; tokens are refreshed in the background before they expire.
/// </summary>
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
    /// Drops a token that a mail server refused, so that the next <see cref="GetAccessTokenAsync"/> obtains a fresh one.
    /// A token that was already replaced is left alone, so concurrent callers do not cause a refresh storm.
    /// </summary>
    /// <param name="account">The email account.</param>
    /// <param name="protocol">The protocol the token was used for.</param>
    /// <param name="refused">The token that was refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the token is dropped.</returns>
    ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default);
}
