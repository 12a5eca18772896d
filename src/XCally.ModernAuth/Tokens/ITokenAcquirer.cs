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
    /// <param name="forceRefresh">Bypass MSAL's own cache: the caller already holds this token or it was refused.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token, its times on the caller's <see cref="TimeProvider"/>.</returns>
    /// <exception cref="ModernAuthException">The request failed; the exception names the cause and the fix.</exception>
    Task<AccessToken> AcquireAsync(bool forceRefresh, CancellationToken cancellationToken);
}
