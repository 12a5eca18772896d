using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers the token provider and what it needs (MSAL, HTTP, telemetry).</summary>
internal static class TokenServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthTokens(this IServiceCollection services)
    {
        // Hosts configure this client (proxy, handlers) with services.AddHttpClient(ModernAuthDefaults.HttpClientName).
        services.AddHttpClient(ModernAuthDefaults.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Diagnostics.TokenMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IMsalHttpClientFactory, MsalHttpClientFactory>();
        services.TryAddSingleton(sp => new ConfidentialClientApplicationFactory(sp.GetRequiredService<IMsalHttpClientFactory>()));
        services.AddModernAuthTokenCache();
        services.TryAddSingleton(sp => new DelegatedClientFactory(
            sp.GetRequiredService<ConfidentialClientApplicationFactory>(),
            sp.GetRequiredService<IMsalHttpClientFactory>(),
            sp.GetRequiredService<TokenCacheEntryStore>()));
        services.TryAddSingleton<ITokenProvider, TokenProvider>();
        services.AddModernAuthAuthorization();
        return services;
    }
}
