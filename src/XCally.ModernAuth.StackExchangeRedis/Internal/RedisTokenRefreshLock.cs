using System.Diagnostics;
using StackExchange.Redis;

namespace XCally.ModernAuth.StackExchangeRedis.Internal;

/// <summary>
/// Refresh locks on StackExchange.Redis's own lock (<c>LockTake</c>: <c>SET key token NX PX lease</c>; <c>LockRelease</c>
/// deletes it only while it still holds this holder's random token), so a lock outlives no holder by more than its lease.
/// A waiter asks again after 10 ms, doubling up to 200 ms.
/// </summary>
internal sealed class RedisTokenRefreshLock(RedisConnection connection) : ITokenRefreshLock
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await connection.DatabaseAsync().ConfigureAwait(false);
        RedisKey lockKey = connection.KeyPrefix + "lock:" + key;
        RedisValue holder = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            if (await database.LockTakeAsync(lockKey, holder, connection.LockLease).ConfigureAwait(false))
            {
                return new Handle(database, lockKey, holder);
            }

            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < poll ? left : poll, cancellationToken).ConfigureAwait(false);
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
        }
    }

    private sealed class Handle(IDatabase database, RedisKey key, RedisValue holder) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await database.LockReleaseAsync(key, holder).ConfigureAwait(false);
            }
        }
    }
}
