using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.StackExchangeRedis;
using XCally.ModernAuth.StackExchangeRedis.Internal;

namespace XCally.ModernAuth;

/// <summary>Keeps the SDK's token cache in Redis, for hosts on several instances.</summary>
public static class RedisTokenCacheBuilderExtensions
{
    /// <summary>
    /// Keeps delegated tokens (and app-only ones with <see cref="TokenCacheOptions.CacheAppOnlyTokens"/>) in Redis, encrypted,
    /// behind an in-memory first level; coordinates refresh-token redemptions between instances with a Redis lock; and keeps
    /// started sign-ins in Redis, each taken out once across all instances. The instances must share a Data Protection key ring:
    /// <c>services.AddDataProtection().SetApplicationName("...").PersistKeysToStackExchangeRedis(...)</c>, checked at start.
    /// </summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, e.g. <c>redis:6379</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseRedisTokenCache(this IModernAuthBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedisTokenCache(options => options.Configuration = configuration);
    }

    /// <summary>The same as <see cref="UseRedisTokenCache(IModernAuthBuilder, string)"/>, with every setting.</summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="configure">Sets the connection and the key prefix.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseRedisTokenCache(this IModernAuthBuilder builder, Action<RedisTokenCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisTokenCacheOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisTokenCacheOptions>, RedisTokenCacheOptionsValidator>());
        services.TryAddSingleton<RedisConnection>();

        // The SDK's own IDistributedCache, under its key: the host's IDistributedCache (sessions, output cache) is left alone.
        services.RemoveAllKeyed<IDistributedCache>(TokenCacheOptions.DistributedCacheServiceKey);
        services.AddKeyedSingleton<IDistributedCache>(TokenCacheOptions.DistributedCacheServiceKey, static (provider, _) =>
        {
            var connection = provider.GetRequiredService<RedisConnection>();
            return new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = connection.GetAsync,
                InstanceName = connection.KeyPrefix + "tokens:",
            }));
        });
        services.RemoveAll<ITokenRefreshLock>();
        services.AddSingleton<ITokenRefreshLock, RedisTokenRefreshLock>();
        services.RemoveAll<ISignInStateStore>();
        services.AddSingleton<ISignInStateStore, RedisSignInStateStore>();
        return builder.UseDistributedTokenCache();
    }
}
