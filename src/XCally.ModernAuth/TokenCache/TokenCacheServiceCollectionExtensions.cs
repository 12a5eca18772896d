using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the delegated accounts' token cache and the Data Protection it encrypts with.</summary>
internal static class TokenCacheServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthTokenCache(this IServiceCollection services)
    {
        // Data Protection is the host's (AddDataProtection) when registered, else created on first use: see ModernAuthDataProtection.
        services.TryAddSingleton<ModernAuthDataProtection>();
        services.AddOptions<TokenCacheOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenCacheOptions>, TokenCacheOptionsValidator>());
        services.TryAddSingleton<TokenCacheEntryStore>();
        return services;
    }
}
