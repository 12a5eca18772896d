namespace XCally.ModernAuth.Internal;

/// <summary>
/// A cache entry: the pre-built token handed out on a hit (marked <see cref="TokenSource.Cache"/>) and until when it is handed
/// out, on both the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>, immune to clock changes) and the wall clock
/// (which, unlike the monotonic one, moves on while a virtual machine is suspended). Replaced whole; only the point of the next
/// wall-clock reading changes.
/// </summary>
/// <remarks>
/// A hit reads the monotonic clock, and the wall clock only once per <see cref="WallClockCheckInterval"/> of monotonic time:
/// each reading costs as much as the rest of the hit. So after a suspend the token is refused at the latest a second after the
/// machine resumed (a mail server that refuses it meanwhile makes the connector ask for a new one).
/// </remarks>
internal sealed class CachedTokenEntry
{
    /// <summary>How much monotonic time may pass between two readings of the wall clock by hits.</summary>
    public static readonly TimeSpan WallClockCheckInterval = TimeSpan.FromSeconds(1);

    // The monotonic timestamp from which the next hit reads the wall clock again; written at most once per interval.
    private long _wallClockCheckDue;

    private CachedTokenEntry(AccessToken token, long usableUntilTimestamp, long usableUntilUtcTicks, long lastResortTimestamp, long lastResortUtcTicks, long wallClockCheckDue)
    {
        _wallClockCheckDue = wallClockCheckDue;
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
            utcTicks + lastResortFor.Ticks,
            timestamp + ToTimestampTicks(WallClockCheckInterval, timeProvider));
    }

    /// <summary>Whether a hit may hand the token out now. Lock-free and allocation-free.</summary>
    public bool IsUsable(TimeProvider timeProvider)
    {
        var now = timeProvider.GetTimestamp();
        if (now >= UsableUntilTimestamp)
        {
            return false;
        }

        if (now < Volatile.Read(ref _wallClockCheckDue))
        {
            return true;
        }

        if (timeProvider.GetUtcNow().UtcTicks >= UsableUntilUtcTicks)
        {
            return false;
        }

        Volatile.Write(ref _wallClockCheckDue, now + ToTimestampTicks(WallClockCheckInterval, timeProvider));
        return true;
    }

    /// <summary>Whether the token may be handed out now by both clocks, each read (the slow path, under the slot's lock).</summary>
    public bool IsUsableByBothClocks(TimeProvider timeProvider) =>
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
            : new CachedTokenEntry(Token, LastResortTimestamp, LastResortUtcTicks, LastResortTimestamp, LastResortUtcTicks, Volatile.Read(ref _wallClockCheckDue));

    // In integers, rounded up: with a double, a wait read back through GetElapsedTime could come out a tick longer than it was.
    public static long ToTimestampTicks(TimeSpan duration, TimeProvider timeProvider) =>
        duration <= TimeSpan.Zero
            ? 0
            : (long)((((Int128)duration.Ticks * timeProvider.TimestampFrequency) + (TimeSpan.TicksPerSecond - 1)) / TimeSpan.TicksPerSecond);
}
