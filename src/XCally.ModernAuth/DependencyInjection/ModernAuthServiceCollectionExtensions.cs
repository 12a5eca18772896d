using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using XCally.ModernAuth;
using XCally.ModernAuth.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers XCally.ModernAuth in a service collection.</summary>
/// <remarks>
/// Every overload may be called more than once: the SDK's services are registered once, the same configuration section is bound
/// once, and the same delegate is applied once. The options are validated when the host starts, reporting every problem at once.
/// </remarks>
public static class ModernAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK with providers and accounts added in code through the returned builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add cloud providers, email accounts and features.</returns>
    public static IModernAuthBuilder AddXCallyModernAuth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(ModernAuthMarkerService)))
        {
            services.AddSingleton<ModernAuthMarkerService>();
            services.AddModernAuthConfiguration();
            services.AddModernAuthTokens();
            services.AddModernAuthMail();
            services.AddModernAuthHealth();
        }

        return new ModernAuthBuilder(services);
    }

    /// <summary>
    /// Registers the SDK bound to a configuration section (usually <c>XCallyModernAuth</c>), validated at start and reloaded when it changes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">
    /// The configuration section holding <c>CloudProviders</c> and <c>EmailAccounts</c>; the configuration root is accepted too,
    /// and then its <c>XCallyModernAuth</c> section is bound.
    /// </param>
    /// <returns>A builder to add further providers, accounts and features.</returns>
    public static IModernAuthBuilder AddXCallyModernAuth(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var builder = services.AddXCallyModernAuth();
        services.BindModernAuthConfiguration(section);
        return builder;
    }

    /// <summary>Registers the SDK configured by a delegate.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: providers and accounts.</param>
    /// <returns>A builder to add further providers, accounts and features.</returns>
    public static IModernAuthBuilder AddXCallyModernAuth(this IServiceCollection services, Action<ModernAuthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddXCallyModernAuth();
        var registered = services.Any(descriptor =>
            descriptor.ImplementationInstance is ConfigureNamedOptions<ModernAuthOptions> existing && existing.Action == configure);
        if (!registered)
        {
            services.Configure(configure);
        }

        return builder;
    }
}
