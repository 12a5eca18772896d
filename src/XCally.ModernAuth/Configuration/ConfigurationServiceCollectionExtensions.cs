using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Registers options, validation, configuration binding and the options-backed stores.</summary>
internal static class ConfigurationServiceCollectionExtensions
{
    public static IServiceCollection AddModernAuthConfiguration(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<ModernAuthOptions, ModernAuthOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModernAuthOptions>, CloudServicesValidator>());
        services.TryAddSingleton(serviceProvider => new ConfiguredModel(
            serviceProvider.GetRequiredService<IOptionsMonitor<ModernAuthOptions>>(),
            serviceProvider.GetRequiredService<TimeProvider>(),
            Logger<ConfiguredModel>(serviceProvider)));

        // TryAdd, so that a host keeping providers and accounts in its own database registers its own stores instead.
        services.TryAddSingleton<ICloudProviderStore, OptionsCloudProviderStore>();
        services.TryAddSingleton<IEmailAccountStore, OptionsEmailAccountStore>();
        return services;
    }

    /// <summary>
    /// Binds a section holding <c>CloudProviders</c> and <c>EmailAccounts</c>. Given the configuration root (or any section)
    /// that holds an <c>XCallyModernAuth</c> section instead, binds that one.
    /// </summary>
    public static IServiceCollection BindModernAuthConfiguration(this IServiceCollection services, IConfiguration configuration) =>
        services.AddConfigurationBinding(ResolveSection(configuration), cloudProviderName: null);

    /// <summary>Binds one provider's section onto the provider of that name.</summary>
    public static IServiceCollection BindCloudProviderConfiguration(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConfigurationBinding(section, name);

    private static IServiceCollection AddConfigurationBinding(this IServiceCollection services, IConfiguration configuration, string? cloudProviderName)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IConfigureOptions<ModernAuthOptions>)
                && descriptor.ImplementationInstance is ConfigurationBinding existing
                && existing.Binds(configuration, cloudProviderName))
            {
                return services;
            }
        }

        services.AddSingleton<IConfigureOptions<ModernAuthOptions>>(new ConfigurationBinding(configuration, cloudProviderName));
        if (cloudProviderName is null)
        {
            services.AddOptions<TokenProviderOptions>()
                .Bind(configuration.GetSection(ModernAuthOptionsBinder.TokenProviderSectionName), binder => binder.ErrorOnUnknownConfiguration = true);
        }

        services.AddSingleton<IOptionsChangeTokenSource<ModernAuthOptions>>(serviceProvider =>
            new ConfigurationReloadTokenSource(configuration, Logger<ConfigurationReloadTokenSource>(serviceProvider)));
        return services;
    }

    private static IConfiguration ResolveSection(IConfiguration configuration)
    {
        var holdsSettings = configuration.GetSection("CloudProviders").Exists() || configuration.GetSection("EmailAccounts").Exists();
        var nested = configuration.GetSection(ModernAuthOptions.SectionName);
        return !holdsSettings && nested.Exists() ? nested : configuration;
    }

    // The SDK does not require AddLogging: without it, nothing is logged.
    private static ILogger<T> Logger<T>(IServiceProvider serviceProvider) =>
        serviceProvider.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
