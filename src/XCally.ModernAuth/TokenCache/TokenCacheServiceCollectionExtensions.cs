using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the delegated accounts' token cache and the Data Protection it encrypts with.</summary>
internal static class TokenCacheServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthTokenCache(this IServiceCollection services)
    {
        // Idempotent; a host's own AddDataProtection() (key storage, application name) configures the same services.
        services.AddDataProtection();
        services.AddOptions<TokenCacheOptions>();
        services.TryAddSingleton<TokenCacheEntryStore>();
        return services;
    }
}
