namespace XCally.ModernAuth.Internal;

/// <summary>
/// An immutable cache entry: the pre-built token handed out on a hit (marked <see cref="TokenSource.Cache"/>) and until when it
/// is handed out, on both the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>, immune to clock changes) and the wall
/// clock (which, unlike the monotonic one, moves on while a virtual machine is suspended). Replaced whole, never changed.
/// </summary>
internal sealed class CachedTokenEntry
{
    private CachedTokenEntry(AccessToken token, long usableUntilTimestamp, long usableUntilUtcTicks, long lastResortTimestamp, long lastResortUtcTicks)
    {
        Token = token;
        UsableUntilTimestamp = usableUntilTimestamp;
        UsableUntilUtcTicks = usableUntilUtcTicks;
        LastResortTimestamp = lastResortTimestamp;
        LastResortUtcTicks = lastResortUtcTicks;
    }

    public AccessToken Token { get; }

    /// <summary>Until when hits hand the token out (monotonic timestamp).</summary>
    public long UsableUntilTimestamp { get; }

    /// <summary>Until when hits hand the token out (wall clock, UTC ticks).</summary>
    public long UsableUntilUtcTicks { get; }

    /// <summary>The latest the token is served while no new one can be had (monotonic timestamp).</summary>
    public long LastResortTimestamp { get; }

    /// <summary>The latest the token is served while no new one can be had (wall clock, UTC ticks).</summary>
    public long LastResortUtcTicks { get; }

    /// <summary>An entry for a token just obtained: handed out until its preferred margin before expiry.</summary>
    public static CachedTokenEntry Create(AccessToken token, TimeProvider timeProvider, TimeSpan usableFor, TimeSpan lastResortFor)
    {
        var timestamp = timeProvider.GetTimestamp();
        var utcTicks = timeProvider.GetUtcNow().UtcTicks;
        return new CachedTokenEntry(
            token.WithSource(TokenSource.Cache),
            timestamp + ToTimestampTicks(usableFor, timeProvider),
            utcTicks + usableFor.Ticks,
            timestamp + ToTimestampTicks(lastResortFor, timeProvider),
            utcTicks + lastResortFor.Ticks);
    }

    /// <summary>Whether a hit may hand the token out now. Lock-free and allocation-free.</summary>
    public bool IsUsable(TimeProvider timeProvider) =>
        timeProvider.GetTimestamp() < UsableUntilTimestamp && timeProvider.GetUtcNow().UtcTicks < UsableUntilUtcTicks;

    /// <summary>Whether the token may still be served as a last resort.</summary>
    public bool IsWithinLastResort(TimeProvider timeProvider) =>
        timeProvider.GetTimestamp() < LastResortTimestamp && timeProvider.GetUtcNow().UtcTicks < LastResortUtcTicks;

    /// <summary>How much longer the token may be served as a last resort, by the earlier of the two clocks.</summary>
    public TimeSpan LastResortRemaining(TimeProvider timeProvider)
    {
        var byTimestamp = TimeSpan.FromSeconds((LastResortTimestamp - timeProvider.GetTimestamp()) / (double)timeProvider.TimestampFrequency);
        var byWallClock = TimeSpan.FromTicks(LastResortUtcTicks - timeProvider.GetUtcNow().UtcTicks);
        var remaining = byTimestamp < byWallClock ? byTimestamp : byWallClock;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The same token, handed out up to its last-resort margin: the identity platform cannot give a new one now.</summary>
    public CachedTokenEntry ServedAsLastResort() =>
        UsableUntilTimestamp == LastResortTimestamp
            ? this
            : new CachedTokenEntry(Token, LastResortTimestamp, LastResortUtcTicks, LastResortTimestamp, LastResortUtcTicks);

    public static long ToTimestampTicks(TimeSpan duration, TimeProvider timeProvider) =>
        duration <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(duration.TotalSeconds * timeProvider.TimestampFrequency);
}
