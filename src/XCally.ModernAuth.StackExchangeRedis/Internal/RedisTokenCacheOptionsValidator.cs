using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace XCally.ModernAuth.StackExchangeRedis.Internal;

/// <summary>Checks <see cref="RedisTokenCacheOptions"/> at start, each problem with its setting and fix.</summary>
internal sealed class RedisTokenCacheOptionsValidator(IServiceProvider services) : IValidateOptions<RedisTokenCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisTokenCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Configuration is not null && options.ConnectionMultiplexerFactory is not null)
        {
            problems.Add("RedisTokenCacheOptions has both Configuration and ConnectionMultiplexerFactory; set one of them.");
        }
        else if (options.Configuration is null && options.ConnectionMultiplexerFactory is null
            && services.GetService<IServiceProviderIsService>()?.IsService(typeof(IConnectionMultiplexer)) != true)
        {
            problems.Add("RedisTokenCacheOptions has no connection: set Configuration (e.g. builder.UseRedisTokenCache(\"redis:6379\")), or ConnectionMultiplexerFactory, or register an IConnectionMultiplexer.");
        }
        else if (options.Configuration is { } configuration)
        {
            try
            {
                ConfigurationOptions.Parse(configuration);
            }
            catch (ArgumentException exception)
            {
                problems.Add($"RedisTokenCacheOptions.Configuration is not a StackExchange.Redis configuration string ({exception.Message}); e.g. \"redis:6379,password=...\".");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            problems.Add("RedisTokenCacheOptions.KeyPrefix is empty; set a prefix (the default is \"xcally-modernauth:\") so the SDK's keys are told from others.");
        }

        if (options.LockLease <= TimeSpan.Zero)
        {
            problems.Add($"RedisTokenCacheOptions.LockLease is {options.LockLease}; set a positive time longer than a token request may take (the default is 1 minute).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
