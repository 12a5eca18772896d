using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.StackExchangeRedis.Internal;
using XCally.ModernAuth.Testing;
using XCally.ModernAuth.Testing.Tests.EndToEnd;

namespace XCally.ModernAuth.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// Several SDK host instances on one real redis-server (the token cache, locks and sign-in state) against one emulator, on one
/// <see cref="FakeTimeProvider"/>. The instances share a Data Protection key ring kept in a second redis-server, so that the
/// token cache's Redis can be stopped and restarted empty without losing the keys (as a production key ring must survive it).
/// </summary>
internal sealed class MultiInstanceEnvironment : IAsyncDisposable
{
    public const string ProviderName = "emulator-delegated";

    private readonly List<Host> _hosts = [];
    private readonly ActivityListener _acquisitions;
    private int _acquiring;

    private MultiInstanceEnvironment(ModernAuthEmulator emulator, FakeTimeProvider time, RedisServer redis, RedisServer keys, ConnectionMultiplexer keysConnection, IReadOnlyList<string> addresses)
    {
        Emulator = emulator;
        Time = time;
        Redis = redis;
        KeysRedis = keys;
        KeysConnection = keysConnection;
        Addresses = addresses;

        // Every token acquisition is an activity: counting the open ones tells when the background refreshes have finished.
        _acquisitions = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModernAuthDefaults.TelemetryName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => Interlocked.Increment(ref _acquiring),
            ActivityStopped = _ => Interlocked.Decrement(ref _acquiring),
        };
        ActivitySource.AddActivityListener(_acquisitions);
    }

    public ModernAuthEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public RedisServer Redis { get; }

    public RedisServer KeysRedis { get; }

    public ConnectionMultiplexer KeysConnection { get; }

    public IReadOnlyList<string> Addresses { get; }

    public IReadOnlyList<Host> Hosts => _hosts;

    public static async Task<MultiInstanceEnvironment> StartAsync(int accounts, bool strictRotation = true)
    {
        var redis = await RedisServer.StartAsync();
        var keys = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ModernAuthEmulatorOptions { TimeProvider = time };
        options.Identity.StrictRefreshTokenRotation = strictRotation;
        var names = Enumerable.Range(0, accounts).Select(i => $"agent{i:000}").ToArray();
        foreach (var name in names)
        {
            options.UsersWithMailboxes.Add(name);
        }

        var emulator = await ModernAuthEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        var keysConnection = await ConnectionMultiplexer.ConnectAsync(keys.Configuration);
        return new MultiInstanceEnvironment(emulator, time, redis, keys, keysConnection, names.Select(name => $"{name}@{emulator.Tenant.Domain}").ToArray());
    }

    /// <summary>Starts an instance: the emulator's delegated provider and accounts, the Redis token cache, the shared key ring.</summary>
    public Host StartHost(Action<IModernAuthBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services.AddSingleton<TimeProvider>(Time);
        services.AddDataProtection().SetApplicationName("XCally.ModernAuth.MultiInstanceTests").PersistKeysToStackExchangeRedis(KeysConnection, "data-protection-keys");
        var builder = services.AddXCallyModernAuth()
            .UseEmulator(Emulator, ProviderName, AuthFlow.Delegated)
            .UseRedisTokenCache(Redis.Configuration);
        configure?.Invoke(builder);
        var host = new Host(this, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// Waits until no token acquisition and no write-back or check of the store is running: the work the last clock move
    /// started has finished, as it would long before the next move on a real clock.
    /// </summary>
    public async Task WaitUntilQuietAsync()
    {
        var quietLooks = 0;
        for (var look = 0; look < 3000 && quietLooks < 3; look++)
        {
            var busy = Volatile.Read(ref _acquiring) != 0 || _hosts.Any(host => host.Services.GetRequiredService<TokenCacheEntryStore>().IsBusy);
            quietLooks = busy ? 0 : quietLooks + 1;
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Restarts the token cache's Redis empty and waits (real time) until every instance's connection is back: StackExchange.Redis
    /// reconnects within seconds, which on the fake clock the tests race through would otherwise be hours.
    /// </summary>
    public async Task RestartRedisEmptyAsync()
    {
        await Redis.RestartAsync();
        foreach (var host in _hosts)
        {
            var connection = await host.Services.GetRequiredService<RedisConnection>().GetAsync();
            for (var look = 0; look < 600 && !connection.IsConnected; look++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            Assert.True(connection.IsConnected, "An instance did not reconnect to Redis within 30 seconds.");
        }
    }

    /// <summary>The token cache entries in Redis (keys only; they name no mailbox).</summary>
    public async Task<int> CountTokenEntriesAsync()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        return connection.GetServer(connection.GetEndPoints().Single()).Keys(pattern: "xcally-modernauth:tokens:xcally-modernauth-tokens-*").Count();
    }

    public async Task StopHostAsync(Host host)
    {
        _hosts.Remove(host);
        await host.Services.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.Services.DisposeAsync();
        }

        _acquisitions.Dispose();
        await Emulator.DisposeAsync();
        await KeysConnection.DisposeAsync();
        Redis.Dispose();
        KeysRedis.Dispose();
    }

    /// <summary>One instance of the host.</summary>
    internal sealed class Host(MultiInstanceEnvironment environment, ServiceProvider services)
    {
        private static CancellationToken Ct => TestContext.Current.CancellationToken;

        public ServiceProvider Services { get; } = services;

        public ITokenProvider Tokens => Services.GetRequiredService<ITokenProvider>();

        public IMailClientConnector Connector => Services.GetRequiredService<IMailClientConnector>();

        public IModernAuthAuthorization Authorization => Services.GetRequiredService<IModernAuthAuthorization>();

        public FakeLogCollector Logs => Services.GetFakeLogCollector();

        public async Task<EmailAccount> AccountAsync(string address) =>
            await Services.GetRequiredService<IEmailAccountStore>().FindAsync(address, Ct) ?? throw new InvalidOperationException(address);

        /// <summary>The browser round trip: begin here, sign in at the emulator, complete here.</summary>
        public async Task SignInAsync(string address)
        {
            var url = await Authorization.BeginAsync(await AccountAsync(address), cancellationToken: Ct);
            var callback = await environment.Emulator.SignInAsync(url, Ct);
            var query = QueryHelpers.ParseQuery(callback.Query);
            await Authorization.CompleteAsync(query["code"].ToString(), query["state"].ToString(), Ct);
        }
    }
}
