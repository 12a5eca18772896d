namespace XCally.ModernAuth;

/// <summary>
/// Keeps the server side of started sign-ins (their <c>state</c>, already encrypted) until the callback takes it, once: a
/// store shared by several instances lets the callback reach another instance than the one that started the sign-in, and must
/// hand each entry out at most once across all of them (an atomic get-and-delete). <c>XCally.ModernAuth.StackExchangeRedis</c>
/// registers one on Redis. Without one, sign-ins are kept in memory, or in the distributed token cache's
/// <c>IDistributedCache</c> (read, then removed: single-use within a process, not atomically across instances). Thread-safe.
/// </summary>
public interface ISignInStateStore
{
    /// <summary>Keeps an entry.</summary>
    /// <param name="key">The entry's key (a hash of the random <c>state</c>).</param>
    /// <param name="value">The encrypted entry.</param>
    /// <param name="timeToLive">How long to keep it at least; afterwards it may be dropped.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    Task AddAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Takes an entry out: returns it and deletes it in one step, so that no other caller anywhere gets it too.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none (unknown, expired or already taken).</returns>
    Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken = default);
}
