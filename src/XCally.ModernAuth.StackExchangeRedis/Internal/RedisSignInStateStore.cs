using StackExchange.Redis;

namespace XCally.ModernAuth.StackExchangeRedis.Internal;

/// <summary>
/// Sign-in state in Redis: each entry with its time to live, taken out with <c>GETDEL</c> (Redis 6.2 or newer), so that of
/// any number of callbacks carrying the same <c>state</c>, on any instances, exactly one gets it.
/// </summary>
internal sealed class RedisSignInStateStore(RedisConnection connection) : ISignInStateStore
{
    public async Task AddAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync().ConfigureAwait(false);
        try
        {
            await database.StringSetAsync(Key(key), value, timeToLive).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw Unreachable(exception);
        }
    }

    public async Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync().ConfigureAwait(false);
        try
        {
            return (byte[]?)await database.StringGetDeleteAsync(Key(key)).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw Unreachable(exception);
        }
    }

    private async Task<IDatabase> DatabaseAsync()
    {
        try
        {
            return await connection.DatabaseAsync().ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw Unreachable(exception);
        }
    }

    private RedisKey Key(string key) => connection.KeyPrefix + "state:" + key;

    private static ModernAuthException Unreachable(RedisException exception) =>
        new(
            ModernAuthErrorCategory.Transient,
            $"The sign-in could not be kept or completed: Redis, where sign-ins in progress are kept, did not answer ({exception.GetType().Name}).",
            "Check the Redis connection (RedisTokenCacheOptions.Configuration), then start the sign-in again.",
            exception);
}
