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

    /// <summary>
    /// Refresh times spread by ±50% around half the lifetime (a quarter to three quarters of it) when nothing suggests a point:
    /// accounts signed in together, or whose tokens came back together after an outage, refresh over half a lifetime rather than
    /// in step. Refreshes stay two per lifetime on average; with ±10% ten thousand tokens issued in one minute were refreshed
    /// within six minutes, five times the steady rate.
    /// </summary>
    public const double RefreshJitter = 0.5;

    /// <summary>Refresh times spread by ±10% around a suggested refresh point (<c>refresh_in</c>, or a follower's later point).</summary>
    public const double SuggestedRefreshJitter = 0.1;

    /// <summary>Back-off waits spread by ±10%.</summary>
    public const double BackoffJitter = 0.1;

    /// <summary>
    /// A failed background refresh of a token that is still valid is tried again at a random point up to this fraction of the
    /// time the token can still be served (at least the back-off): many tokens that failed during one outage are then refreshed
    /// spread over minutes after it, not all within one back-off of its end, and send fewer requests while it lasts.
    /// </summary>
    public const double RetrySpread = 0.7;

    /// <summary>
    /// How much of the time a held token is still served its refresh may be put off to while its provider backs off: a slot
    /// held only for the others' failures has no failure of its own to recover from, and the sooner they all come back the
    /// larger the wave after the outage.
    /// </summary>
    public const double HeldRefreshSpread = 0.9;

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
        // A suggested point (the identity platform's refresh_in, or a later point for a token another instance redeemed) is
        // kept close to: spreading it by half would let a follower refresh before the instance that redeems.
        var (baseline, jitter) = refreshIn is { } suggested && suggested > TimeSpan.Zero && suggested < usableFor
            ? (suggested, SuggestedRefreshJitter)
            : (lifetime / 2, RefreshJitter);
        var delay = baseline * (1 + (jitter * ((2 * random) - 1)));
        var latest = usableFor * 0.95;
        return delay < latest ? delay : latest;
    }

    /// <summary>
    /// When to try again after a failed background refresh while the token is still served: uniformly between the back-off and
    /// <see cref="RetrySpread"/> of the time left until it stops being served, never before the back-off.
    /// </summary>
    /// <param name="backoff">The back-off (<see cref="Backoff"/>): Retry-After included.</param>
    /// <param name="servedFor">How much longer the token is served (until its last-resort margin before expiry).</param>
    /// <param name="random">A uniform random number in [0, 1).</param>
    public static TimeSpan RetryDelay(TimeSpan backoff, TimeSpan servedFor, double random) =>
        Spread(backoff, servedFor * RetrySpread, random);

    /// <summary>
    /// When a refresh held by its provider's shared back-off looks again: uniformly between the end of the back-off and
    /// <see cref="HeldRefreshSpread"/> of the time left, so that the refreshes an outage put off come back spread over the
    /// tokens' remaining life rather than together once it ends.
    /// </summary>
    /// <param name="wait">How long the provider's back-off still holds.</param>
    /// <param name="servedFor">How much longer the token is served (until its last-resort margin before expiry).</param>
    /// <param name="random">A uniform random number in [0, 1).</param>
    public static TimeSpan HeldRefreshDelay(TimeSpan wait, TimeSpan servedFor, double random) =>
        Spread(wait, servedFor * HeldRefreshSpread, random);

    private static TimeSpan Spread(TimeSpan earliest, TimeSpan latest, double random) =>
        latest > earliest ? earliest + ((latest - earliest) * random) : earliest;

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
        delay *= 1 + (BackoffJitter * ((2 * random) - 1));
        return retryAfter is { } wait && wait > delay ? wait : delay;
    }
}
