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
    private const string HostContentRootKey = "contentRoot";

    public static IServiceCollection AddModernAuthConfiguration(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<ModernAuthOptions, ModernAuthOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModernAuthOptions>, CloudServicesValidator>());

        // After every Configure (code and configuration), before validation: relative certificate paths follow the content root.
        services.PostConfigure<ModernAuthOptions>(static options =>
        {
            foreach (var provider in options.CloudProviders.Values)
            {
                if (provider?.Certificate is { } certificate)
                {
                    certificate.BaseDirectory ??= options.ContentRoot;
                }
            }
        });
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
        services.AddConfigurationBinding(ResolveSection(configuration), cloudProviderName: null, ContentRoot(configuration));

    /// <summary>Binds one provider's section onto the provider of that name.</summary>
    public static IServiceCollection BindCloudProviderConfiguration(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConfigurationBinding(section, name);

    private static IServiceCollection AddConfigurationBinding(this IServiceCollection services, IConfiguration configuration, string? cloudProviderName, string? contentRoot = null)
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

        services.AddSingleton<IConfigureOptions<ModernAuthOptions>>(new ConfigurationBinding(configuration, cloudProviderName, contentRoot));
        if (cloudProviderName is null)
        {
            services.AddOptions<TokenProviderOptions>()
                .Bind(configuration.GetSection(ModernAuthOptionsBinder.TokenProviderSectionName), binder => binder.ErrorOnUnknownConfiguration = true);
            services.AddOptions<CredentialExpiryOptions>()
                .Bind(configuration.GetSection(ModernAuthOptionsBinder.CredentialExpirySectionName), binder => binder.ErrorOnUnknownConfiguration = true);
        }

        services.AddSingleton<IOptionsChangeTokenSource<ModernAuthOptions>>(serviceProvider =>
            new ConfigurationReloadTokenSource(configuration, Logger<ConfigurationReloadTokenSource>(serviceProvider)));
        return services;
    }

    // The configuration root stands for its XCallyModernAuth section, present or not (a missing one is then reported by name);
    // a section is bound as it is unless it only holds an XCallyModernAuth section.
    private static IConfiguration ResolveSection(IConfiguration configuration)
    {
        var holdsSettings = configuration.GetSection("CloudProviders").Exists() || configuration.GetSection("EmailAccounts").Exists();
        var nested = configuration.GetSection(ModernAuthOptions.SectionName);
        if (holdsSettings)
        {
            return configuration;
        }

        return nested.Exists() || configuration is not IConfigurationSection ? nested : configuration;
    }

    // The .NET host (HostApplicationBuilder, WebApplicationBuilder, Host.CreateDefaultBuilder) puts its content root in the
    // configuration under "contentRoot"; only the root has it.
    private static string? ContentRoot(IConfiguration configuration) =>
        configuration is IConfigurationSection ? null : configuration[HostContentRootKey];

    // The SDK does not require AddLogging: without it, nothing is logged.
    private static ILogger<T> Logger<T>(IServiceProvider serviceProvider) =>
        serviceProvider.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
