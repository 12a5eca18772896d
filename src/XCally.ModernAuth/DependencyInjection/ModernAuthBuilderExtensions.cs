using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth;

/// <summary>Code-first registration of cloud providers and email accounts.</summary>
/// <remarks>
/// These apply in registration order after a section bound by <c>AddXCallyModernAuth(configuration)</c>, so code can complete or
/// override what configuration says (for example set <see cref="CloudProviderOptions.ClientAssertion"/>, which configuration
/// cannot). They are applied again on every configuration reload.
/// </remarks>
public static class ModernAuthBuilderExtensions
{
    /// <summary>Adds a cloud provider, or changes the provider of that name (for example one from configuration).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's unique name (case-insensitive).</param>
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

    /// <summary>Adds a cloud provider bound to its own configuration section, validated at start and reloaded when it changes.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's unique name (case-insensitive).</param>
    /// <param name="section">The section holding the provider's settings (<c>TenantId</c>, <c>ClientId</c>, ...).</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddCloudProvider(this IModernAuthBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);

        builder.Services.BindCloudProviderConfiguration(name, section);
        return builder;
    }

    /// <summary>Adds an email account associated with a cloud provider, or changes the account with that address.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="address">The mailbox's address (case-insensitive).</param>
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
            var account = options.EmailAccounts.FirstOrDefault(a => string.Equals(a?.Address, address, StringComparison.OrdinalIgnoreCase));
            if (account is null)
            {
                account = new EmailAccountOptions { Address = address };
                options.EmailAccounts.Add(account);
            }

            account.CloudProvider = cloudProvider;
            configure?.Invoke(account);
        });
        return builder;
    }
}
