namespace XCally.ModernAuth;

/// <summary>
/// A lock shared by every instance of a host that keeps delegated tokens in one distributed token cache, held around the
/// redemption of an account's refresh token: the instance that holds it re-reads the shared entry and uses an access token
/// another instance has just stored instead of redeeming the refresh token again, so that at most one instance redeems it per
/// refresh period. <c>XCally.ModernAuth.StackExchangeRedis</c> registers one on Redis; without one, redemptions are
/// coordinated within the process only. Implementations are thread-safe.
/// </summary>
public interface ITokenRefreshLock
{
    /// <summary>Takes the lock named <paramref name="key"/>, waiting up to <paramref name="timeout"/> while another holder has it.</summary>
    /// <param name="key">The lock's name: a token cache key (a hash that names no mailbox).</param>
    /// <param name="timeout">How long to wait for another holder to release it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// A handle that releases the lock when disposed, or <see langword="null"/> when another holder kept it for all of
    /// <paramref name="timeout"/>. A lock that its holder never releases (a crashed instance) must expire by itself.
    /// </returns>
    /// <exception cref="Exception">The lock's service could not be reached; the SDK then refreshes without it (see the docs).</exception>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default);
}
