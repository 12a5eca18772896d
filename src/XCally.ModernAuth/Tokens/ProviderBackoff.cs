namespace XCally.ModernAuth.Internal;

/// <summary>
/// The back-off that the token slots of one cloud provider share for their background refreshes while its identity platform
/// is down or throttling (HTTP 5xx, 429, timeouts, network errors): after such a failure, one refresh of the provider probes
/// per back-off step (5 s doubling to 2 min, never before Retry-After) and the others wait for it instead of each sending its
/// own retries. A success ends it. Failures that concern one account (a revoked sign-in, missing consent) are not shared.
/// </summary>
/// <remarks>
/// Only refreshes of tokens that are still served are held: a caller with no token left keeps its own slot's back-off, so a
/// new account is never refused for another account's failure.
/// </remarks>
internal sealed class ProviderBackoff(TimeProvider timeProvider)
{
    // A probe that never reports back (its slot closed meanwhile) stops blocking the others after this long.
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private int _failures;
    private long _holdUntil;
    private long _probeUntil;

    /// <summary>Whether the provider is in a shared back-off (for tests).</summary>
    public bool IsHolding
    {
        get
        {
            lock (_gate)
            {
                return _failures > 0;
            }
        }
    }

    /// <summary>
    /// Whether a background refresh may be sent now. While the provider is backing off, only one refresh goes (the probe),
    /// once the back-off has passed; the others get how long to wait at least.
    /// </summary>
    public bool TryStartRefresh(out TimeSpan wait)
    {
        var now = timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (_failures == 0)
            {
                wait = TimeSpan.Zero;
                return true;
            }

            if (now < _probeUntil)
            {
                // A probe is on its way; it usually answers within a second or two: look again shortly.
                wait = TokenRefreshPolicy.MinimumBackoff;
                return false;
            }

            if (now < _holdUntil)
            {
                // Wake at the end of the back-off, where one of the waiting slots becomes the next probe.
                wait = timeProvider.GetElapsedTime(now, _holdUntil) + TimeSpan.FromMilliseconds(1);
                return false;
            }

            _probeUntil = now + CachedTokenEntry.ToTimestampTicks(ProbeLimit, timeProvider);
            wait = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>A token request of the provider succeeded: the identity platform answers again.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _holdUntil = 0;
            _probeUntil = 0;
        }
    }

    /// <summary>A token request of the provider failed; a failure of the identity platform starts or lengthens the shared back-off.</summary>
    public void Failed(ModernAuthException error, double random)
    {
        if (!IsPlatformFailure(error.Category))
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        lock (_gate)
        {
            _probeUntil = 0;

            // Requests already in flight when the back-off began fail together: they lengthen it once, not once each.
            if (now < _holdUntil)
            {
                return;
            }

            _failures++;
            var wait = TokenRefreshPolicy.Backoff(_failures, error.RetryAfter, random);
            _holdUntil = now + CachedTokenEntry.ToTimestampTicks(wait, timeProvider);
        }
    }

    private static bool IsPlatformFailure(ModernAuthErrorCategory category) =>
        category is ModernAuthErrorCategory.Transient or ModernAuthErrorCategory.Throttled or ModernAuthErrorCategory.NetworkError;
}
