using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Salesforce.Internal;

namespace XCally.ModernAuth;

/// <summary>Registers Salesforce as a cloud service of XCally.ModernAuth.</summary>
public static class SalesforceBuilderExtensions
{
    /// <summary>
    /// Registers the Salesforce package: the <c>Service: Salesforce</c> entries of <c>XCallyModernAuth:CloudProviders</c> are bound,
    /// validated at start (every problem with its path) and on reload, and served by <see cref="ISalesforceProviderStore"/>,
    /// <see cref="ISalesforceSessionProvider"/> and <see cref="ISalesforceClientFactory"/>. Calling it again adds nothing.
    /// </summary>
    /// <param name="builder">The builder from <c>AddXCallyModernAuth</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddSalesforce(this IModernAuthBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(SalesforceServiceRegistration)))
        {
            return builder;
        }

        var registration = new SalesforceServiceRegistration();
        services.AddSingleton(registration);
        services.AddSingleton(registration.Service);
        services.AddSingleton<IValidateOptions<ModernAuthOptions>, SalesforceProvidersValidator>();
        services.AddHttpClient(SalesforceDefaults.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TokenMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new ConfiguredSalesforceProviders(
            sp.GetRequiredService<IOptionsMonitor<ModernAuthOptions>>(),
            registration,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ConfiguredSalesforceProviders>>() ?? NullLogger<ConfiguredSalesforceProviders>.Instance));
        services.TryAddSingleton<ISalesforceProviderStore>(sp => sp.GetRequiredService<ConfiguredSalesforceProviders>());
        services.TryAddSingleton(sp => new SalesforceTokenSlots(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<TokenMetrics>(),
            LoggerFactory(sp)));
        services.TryAddSingleton(sp => new SalesforceSessionProvider(
            sp.GetRequiredService<ISalesforceProviderStore>(),
            sp.GetRequiredService<SalesforceTokenSlots>(),
            sp.GetRequiredService<TokenMetrics>()));
        services.TryAddSingleton<ISalesforceSessionProvider>(sp => sp.GetRequiredService<SalesforceSessionProvider>());
        services.TryAddSingleton<ISalesforceClientFactory>(sp => new SalesforceClientFactory(
            sp.GetRequiredService<SalesforceSessionProvider>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFactory(sp)));
        return builder;
    }

    /// <summary>
    /// Adds a Salesforce provider in code, or changes the one of that name (for example one from configuration: code applies after
    /// the configuration's values). Registers the package if needed.
    /// </summary>
    /// <param name="builder">The builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="name">The provider's unique name (case-insensitive).</param>
    /// <param name="configure">Sets the provider's options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddSalesforceProvider(this IModernAuthBuilder builder, string name, Action<SalesforceProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddSalesforce();
        builder.Services.Configure<ModernAuthOptions>(options =>
        {
            if (!options.ServiceProviders.TryGetValue(name, out var entry))
            {
                entry = new CloudServiceEntry(name, SalesforceDefaults.ServiceName);
                options.ServiceProviders[name] = entry;
            }

            entry.CodeConfiguration.Add(target => configure((SalesforceProviderOptions)target));
        });
        return builder;
    }

    private static ILoggerFactory LoggerFactory(IServiceProvider serviceProvider) =>
        serviceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
