using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth;

/// <summary>Code-first registration of cloud providers and email accounts.</summary>
public static class ModernAuthBuilderExtensions
{
    /// <summary>Adds (or changes) a cloud provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's unique name.</param>
    /// <param name="configure">Sets the provider's options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddCloudProvider(this IModernAuthBuilder builder, string name, Action<CloudProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.Configure<ModernAuthOptions>(options =>
        {
            if (!options.CloudProviders.TryGetValue(name, out var provider))
            {
                provider = new CloudProviderOptions();
                options.CloudProviders[name] = provider;
            }

            configure(provider);
        });
        return builder;
    }

    /// <summary>Adds an email account associated with a cloud provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="address">The mailbox's address.</param>
    /// <param name="cloudProvider">The name of the provider it is associated with.</param>
    /// <param name="configure">Sets further options (user name, endpoints), if needed.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddEmailAccount(this IModernAuthBuilder builder, string address, string cloudProvider, Action<EmailAccountOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(cloudProvider);

        builder.Services.Configure<ModernAuthOptions>(options =>
        {
            var account = new EmailAccountOptions { Address = address, CloudProvider = cloudProvider };
            configure?.Invoke(account);
            options.EmailAccounts.Add(account);
        });
        return builder;
    }
}
