namespace XCally.ModernAuth.Internal;

/// <summary>How far a <see cref="CacheLease"/> reaches.</summary>
internal enum CacheLeaseKind
{
    /// <summary>Within the process: no <see cref="ITokenRefreshLock"/> is registered.</summary>
    Process,

    /// <summary>Across instances: the <see cref="ITokenRefreshLock"/> was taken.</summary>
    Shared,

    /// <summary>Within the process only: the <see cref="ITokenRefreshLock"/> could not be reached.</summary>
    Unavailable,

    /// <summary>Within the process only: another instance held the <see cref="ITokenRefreshLock"/> longer than the wait allows.</summary>
    TimedOut,
}

/// <summary>A token cache entry's lock, held while its refresh token may be redeemed or its entry written back.</summary>
internal sealed class CacheLease(IDisposable local, IAsyncDisposable? shared, CacheLeaseKind kind, SharedCacheGuard guard) : IAsyncDisposable
{
    public CacheLeaseKind Kind { get; } = kind;

    /// <summary>Whether other instances may be redeeming at the same time, because the shared lock could not be had.</summary>
    public bool IsUncoordinated => Kind is CacheLeaseKind.Unavailable or CacheLeaseKind.TimedOut;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (shared is not null)
            {
                // Not through the circuit breaker: a lock taken must be released even if the breaker opened meanwhile. A release
                // that fails or hangs (bounded here) leaves the lock to expire by itself.
                await guard.ReleaseAsync(shared).ConfigureAwait(false);
            }
        }
        finally
        {
            local.Dispose();
        }
    }
}
