namespace XCally.ModernAuth.Internal;

/// <summary>
/// An immutable cache entry: the pre-built token handed out on a hit (marked <see cref="TokenSource.Cache"/>) and the
/// <see cref="TimeProvider"/> timestamp after which it is too close to expiry to hand out. Replaced whole, never changed.
/// </summary>
internal sealed class CachedTokenEntry(AccessToken token, long usableUntilTimestamp)
{
    public AccessToken Token { get; } = token;

    public long UsableUntilTimestamp { get; } = usableUntilTimestamp;
}
