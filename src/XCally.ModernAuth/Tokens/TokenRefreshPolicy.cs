namespace XCally.ModernAuth.Internal;

/// <summary>When a cached token stops being handed out, when it is refreshed, and how failed refreshes back off.</summary>
internal static class TokenRefreshPolicy
{
    /// <summary>A token this close to expiry is not handed out: a mail session must still be able to authenticate with it.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(3);

    /// <summary>
    /// While the identity platform cannot answer, a token is served up to this close to its expiry (or a tenth of a short
    /// lifetime): far enough that a mail server that checks it a moment later still accepts it.
    /// </summary>
    public static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MinimumBackoff = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromMinutes(2);

    /// <summary>Refresh times spread by ±10% so that many providers or processes do not refresh in step.</summary>
    public const double Jitter = 0.1;

    /// <summary>How long before expiry a token stops being handed out: <see cref="ExpiryMargin"/>, or a quarter of a short lifetime.</summary>
    public static TimeSpan Margin(TimeSpan lifetime) =>
        lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(ExpiryMargin.Ticks, lifetime.Ticks / 4));

    /// <summary>How long before expiry a token stops being served even while no new one can be had.</summary>
    public static TimeSpan LastResortMargin(TimeSpan lifetime) =>
        lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(SafetyMargin.Ticks, lifetime.Ticks / 10));

    /// <summary>
    /// How long after acquisition to refresh: the identity platform's <c>refresh_in</c> when it gave one, otherwise half the
    /// lifetime; jittered, and always before the token stops being usable.
    /// </summary>
    /// <param name="lifetime">Time until the token expires.</param>
    /// <param name="usableFor">Time until the token stops being handed out.</param>
    /// <param name="refreshIn">Time until the identity platform suggests refreshing, if it did.</param>
    /// <param name="random">A uniform random number in [0, 1).</param>
    public static TimeSpan RefreshDelay(TimeSpan lifetime, TimeSpan usableFor, TimeSpan? refreshIn, double random)
    {
        var baseline = refreshIn is { } suggested && suggested > TimeSpan.Zero && suggested < usableFor ? suggested : lifetime / 2;
        var delay = baseline * (1 + (Jitter * ((2 * random) - 1)));
        var latest = usableFor * 0.95;
        return delay < latest ? delay : latest;
    }

    /// <summary>
    /// The wait after a failed request before the next one (a background retry, or a caller's when no token is left):
    /// exponential from 5 s to 2 min, jittered, never before Retry-After.
    /// </summary>
    /// <param name="failures">Consecutive failures so far (1 or more).</param>
    /// <param name="retryAfter">The identity platform's Retry-After, if any.</param>
    /// <param name="random">A uniform random number in [0, 1).</param>
    public static TimeSpan Backoff(int failures, TimeSpan? retryAfter, double random)
    {
        var exponent = Math.Clamp(failures - 1, 0, 10);
        var delay = TimeSpan.FromTicks(Math.Min(MaximumBackoff.Ticks, MinimumBackoff.Ticks << exponent));
        delay *= 1 + (Jitter * ((2 * random) - 1));
        return retryAfter is { } wait && wait > delay ? wait : delay;
    }
}
