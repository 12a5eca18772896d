using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
        services.TryAddSingleton(sp => new ConfidentialClientApplicationFactory(
            sp.GetRequiredService<IMsalHttpClientFactory>(),
            provider => AppTokenCacheFor(sp, provider)));
        services.AddModernAuthTokenCache();
        services.TryAddSingleton(sp => new DelegatedClientFactory(
            sp.GetRequiredService<ConfidentialClientApplicationFactory>(),
            sp.GetRequiredService<IMsalHttpClientFactory>(),
            sp.GetRequiredService<TokenCacheEntryStore>()));
        services.AddOptions<TokenProviderOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenProviderOptions>, TokenProviderOptionsValidator>());
        services.TryAddSingleton<ITokenProvider>(sp => new TokenProvider(
            sp.GetRequiredService<ICloudProviderStore>(),
            sp.GetRequiredService<ConfidentialClientApplicationFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Diagnostics.TokenMetrics>(),
            sp.GetRequiredService<ILogger<TokenProvider>>(),
            sp.GetRequiredService<DelegatedClientFactory>(),
            sp.GetService<IEmailAccountStore>(),
            sp.GetRequiredService<IOptions<TokenProviderOptions>>()));
        services.AddModernAuthAuthorization();
        return services;
    }

    // Read when a provider's client is built, so that app-only hosts that leave the option off never touch the token cache.
    private static AccountTokenCache? AppTokenCacheFor(IServiceProvider services, CloudProvider provider)
    {
        var options = TokenCacheConfiguration.Read(services.GetRequiredService<IOptions<TokenCacheOptions>>());
        return options.CacheAppOnlyTokens && options.Storage != TokenCacheStorage.Memory
            ? new AccountTokenCache(services.GetRequiredService<TokenCacheEntryStore>(), TokenCacheKeys.ForApp(provider), DelegatedClientKind.Confidential)
            : null;
    }
}
