using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace XCally.ModernAuth.StackExchangeRedis.Internal;

/// <summary>
/// The one Redis connection of the SDK's cache, locks and sign-in state, made on first use. From a configuration string it is
/// the SDK's own: it does not abort when Redis is down at start, and fails commands at once while disconnected instead of
/// queueing them (StackExchange.Redis's default would hold each for its 5-second timeout), so an outage costs a caller nothing.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _owned;

    public RedisConnection(IOptions<RedisTokenCacheOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        KeyPrefix = settings.KeyPrefix;
        LockLease = settings.LockLease;
        if (settings.Configuration is { } configuration)
        {
            _owned = true;
            _connection = new(() => ConnectAsync(configuration));
        }
        else if (settings.ConnectionMultiplexerFactory is { } factory)
        {
            _connection = new(factory);
        }
        else
        {
            _connection = new(() => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()));
        }
    }

    public string KeyPrefix { get; }

    public TimeSpan LockLease { get; }

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async Task<IDatabase> DatabaseAsync() => (await GetAsync().ConfigureAwait(false)).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_owned && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }
}
