using StackExchange.Redis;

namespace XCally.ModernAuth.StackExchangeRedis;

/// <summary>
/// Where and how the SDK keeps its token cache, refresh locks and sign-in state in Redis. Give exactly one of
/// <see cref="Configuration"/> or <see cref="ConnectionMultiplexerFactory"/>, or neither to use the
/// <see cref="IConnectionMultiplexer"/> the host registered.
/// </summary>
public sealed class RedisTokenCacheOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>redis:6379,password=...,ssl=true</c>). The SDK then makes its own
    /// connection, which fails fast while Redis is down (no command queue) so that an outage never holds a caller up.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Makes the connection instead (for instance the host's own multiplexer).</summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// What every key the SDK writes starts with, so that several hosts or environments can share one Redis. Default
    /// <c>xcally-modernauth:</c>. Keys hold hashes only: no mailbox address, no token.
    /// </summary>
    public string KeyPrefix { get; set; } = "xcally-modernauth:";

    /// <summary>
    /// How long a refresh lock lasts if its holder never releases it (a crashed instance). Default 1 minute: longer than one
    /// redemption may take (<see cref="TokenProviderOptions.IdentityRequestTimeout"/>, 30 seconds by default).
    /// </summary>
    public TimeSpan LockLease { get; set; } = TimeSpan.FromMinutes(1);
}
