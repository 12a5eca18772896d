using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using XCally.ModernAuth.StackExchangeRedis;
using XCally.ModernAuth.Testing.Tests.EndToEnd;

namespace XCally.ModernAuth.StackExchangeRedis.Tests;

/// <summary>The Redis package's pieces on a real redis-server: the refresh lock, sign-in state, registration and its checks.</summary>
public sealed class RedisTokenCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryAcquireAsync_HeldByAnotherInstance_WaitsUntilReleasedAndTimesOutWhileHeld()
    {
        using var redis = await RedisServer.StartAsync();
        await using var one = Services(redis);
        await using var two = Services(redis);
        var first = one.GetRequiredService<ITokenRefreshLock>();
        var second = two.GetRequiredService<ITokenRefreshLock>();

        var held = await first.TryAcquireAsync("entry", TimeSpan.FromSeconds(5), Ct);
        Assert.NotNull(held);
        Assert.Null(await second.TryAcquireAsync("entry", TimeSpan.FromMilliseconds(200), Ct));
        Assert.NotNull(await AcquireAndReleaseAsync(second.TryAcquireAsync("other entry", TimeSpan.FromMilliseconds(200), Ct)));

        var waiting = second.TryAcquireAsync("entry", TimeSpan.FromSeconds(10), Ct).AsTask();
        await Task.Delay(100, Ct);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquireAsync_HolderNeverReleases_LockExpiresAfterItsLease()
    {
        using var redis = await RedisServer.StartAsync();
        await using var crashed = Services(redis, options => options.LockLease = TimeSpan.FromMilliseconds(500));
        await using var survivor = Services(redis);
        Assert.NotNull(await crashed.GetRequiredService<ITokenRefreshLock>().TryAcquireAsync("entry", TimeSpan.FromSeconds(1), Ct));

        var taken = await survivor.GetRequiredService<ITokenRefreshLock>().TryAcquireAsync("entry", TimeSpan.FromSeconds(10), Ct);

        Assert.NotNull(taken);
    }

    [Fact]
    public async Task TakeAsync_SameStateOnManyInstancesAtOnce_ExactlyOneGetsIt()
    {
        using var redis = await RedisServer.StartAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => Services(redis)).ToArray();
        try
        {
            var stores = instances.Select(instance => instance.GetRequiredService<ISignInStateStore>()).ToArray();
            await stores[0].AddAsync("state-key", [1, 2, 3], TimeSpan.FromMinutes(1), Ct);

            using var start = new ManualResetEventSlim();
            var takes = Enumerable.Range(0, 200).Select(i => Task.Run(
                async () =>
                {
                    start.Wait(Ct);
                    return await stores[i % stores.Length].TakeAsync("state-key", Ct);
                },
                Ct)).ToArray();
            start.Set();
            var results = await Task.WhenAll(takes).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal([1, 2, 3], Assert.Single(results, result => result is not null));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task UseRedisTokenCache_Registered_TokensUnderTheSdksOwnKeyWithThePrefixAndTheHostsCacheLeftAlone()
    {
        using var redis = await RedisServer.StartAsync();
        await using var services = Services(redis, options => options.KeyPrefix = "contoso:");

        var cache = services.GetRequiredKeyedService<IDistributedCache>(TokenCacheOptions.DistributedCacheServiceKey);
        await cache.SetAsync("entry", [7], new DistributedCacheEntryOptions(), Ct);

        Assert.Null(services.GetService<IDistributedCache>());
        Assert.Equal(TokenCacheStorage.Distributed, services.GetRequiredService<IOptions<TokenCacheOptions>>().Value.Storage);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var key = Assert.Single(connection.GetServer(connection.GetEndPoints().Single()).Keys());
        Assert.Equal("contoso:tokens:entry", key.ToString());
    }

    [Fact]
    public void UseRedisTokenCache_NoConnection_RefusedAtStartNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.GetTempPath()));
        services.AddXCallyModernAuth().UseRedisTokenCache(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisTokenCacheOptions>>().Value);

        Assert.Contains("RedisTokenCacheOptions has no connection", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseRedisTokenCache(\"redis:6379\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseRedisTokenCache_KeyRingNotShared_RefusedAtStartNamingPersistKeysToStackExchangeRedis()
    {
        foreach (var hostsDataProtection in new[] { false, true })
        {
            var services = new ServiceCollection();
            if (hostsDataProtection)
            {
                services.AddDataProtection();
            }

            services.AddXCallyModernAuth().UseRedisTokenCache("127.0.0.1:1");
            using var provider = services.BuildServiceProvider();

            var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TokenCacheOptions>>().Value);

            Assert.Contains("PersistKeysToStackExchangeRedis", error.Message, StringComparison.Ordinal);
            Assert.Contains(hostsDataProtection ? "default place" : "registered no Data Protection", error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<IAsyncDisposable?> AcquireAndReleaseAsync(ValueTask<IAsyncDisposable?> acquiring)
    {
        var handle = await acquiring;
        if (handle is not null)
        {
            await handle.DisposeAsync();
        }

        return handle;
    }

    private static ServiceProvider Services(RedisServer redis, Action<RedisTokenCacheOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetTempPath(), "xcally-redis-tests-keys")));
        services.AddXCallyModernAuth().UseRedisTokenCache(options =>
        {
            options.Configuration = redis.Configuration;
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }
}
