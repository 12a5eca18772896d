namespace XCally.ModernAuth.Internal;

/// <summary>
/// One flow's way of getting a token from the identity platform (app-only client credentials today; a delegated silent
/// acquisition per user account later). <see cref="TokenSlot"/> calls it behind the cache, single flight and refresh.
/// </summary>
internal interface ITokenAcquirer
{
    /// <summary>The cloud provider's name, for logs and metrics.</summary>
    string ProviderName { get; }

    /// <summary>Gets a token.</summary>
    /// <param name="replacing">
    /// The token the slot already holds (a refresh) or that a server refused, which the result must not be: a cache in front of
    /// the identity platform (MSAL's) that still holds it is bypassed. <see langword="null"/> on the first acquisition, when any
    /// valid token will do.
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token, its times on the caller's <see cref="TimeProvider"/>.</returns>
    /// <exception cref="ModernAuthException">The request failed; the exception names the cause and the fix.</exception>
    Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken);
}
