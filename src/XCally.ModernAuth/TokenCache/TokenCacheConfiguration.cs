using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Reads the token cache's settings and services the same way for every part that needs them.</summary>
internal static class TokenCacheConfiguration
{
    /// <summary>The validated options; a refusal becomes the SDK's own error, listing every problem.</summary>
    public static TokenCacheOptions Read(IOptions<TokenCacheOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException exception)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                "The token cache's configuration was refused: " + string.Join(" ", exception.Failures),
                "Correct the settings named above.",
                exception);
        }
    }

    /// <summary>The distributed cache the SDK uses: the one registered under its key (the Redis package's), else the host's.</summary>
    public static IDistributedCache? DistributedCache(IServiceProvider services) =>
        (services as IKeyedServiceProvider)?.GetKeyedService(typeof(IDistributedCache), TokenCacheOptions.DistributedCacheServiceKey) as IDistributedCache
        ?? services.GetService<IDistributedCache>();

    /// <summary>The folder of the file cache.</summary>
    public static string Directory(TokenCacheOptions options) =>
        options.Directory ?? TokenCacheOptions.DefaultDirectory ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            "The token cache is set to File, but this account has no local application data folder to put it in (no HOME, as for many services and containers).",
            "Set TokenCacheOptions.Directory (builder.UseFileTokenCache(folder)) to a folder only the host's account can read.");
}
