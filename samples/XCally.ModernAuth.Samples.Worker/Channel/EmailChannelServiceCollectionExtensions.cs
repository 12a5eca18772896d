using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using XCally.ModernAuth.Samples.Worker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the email channel.</summary>
public static class EmailChannelServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="EmailChannelWorker"/> with its defaults: acknowledgement replies (<see cref="AcknowledgementReplyHandler"/>)
    /// and channel state in memory (<see cref="InMemoryChannelStateStore"/>). Register your own <see cref="IMessageHandler"/> or
    /// <see cref="IChannelStateStore"/> before or after to replace them. The SDK itself is registered by <c>AddXCallyModernAuth</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The <c>EmailChannel</c> configuration section, if any.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, IConfiguration? section = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EmailChannelOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccountStatusBoard>();
        services.TryAddSingleton<IChannelStateStore, InMemoryChannelStateStore>();
        services.TryAddSingleton<IMessageHandler, AcknowledgementReplyHandler>();
        services.AddHostedService<EmailChannelWorker>();
        return services;
    }

    /// <summary>Keeps the channel state in a JSON file, so that a restarted worker resumes where it stopped.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="path">The file; relative paths are resolved against the current directory.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJsonFileChannelState(this IServiceCollection services, string path)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Replace(ServiceDescriptor.Singleton<IChannelStateStore>(_ => new JsonFileChannelStateStore(path)));
        return services;
    }

    /// <summary>
    /// Replaces the acknowledgement replies with <see cref="SalesforceCaseHandler"/>: each new email becomes a Salesforce Case with its
    /// EmailMessage and attachments. The Salesforce provider itself is registered through <c>AddXCallyModernAuth</c>
    /// (<c>AddSalesforce()</c> with a <c>Service: Salesforce</c> entry, or <c>AddSalesforceProvider</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The <c>EmailChannel:SalesforceCases</c> configuration section, if any.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSalesforceCases(this IServiceCollection services, IConfiguration? section = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SalesforceCaseOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        services.Replace(ServiceDescriptor.Singleton<IMessageHandler, SalesforceCaseHandler>());
        return services;
    }
}
