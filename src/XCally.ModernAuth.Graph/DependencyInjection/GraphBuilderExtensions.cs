using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth;
using XCally.ModernAuth.Graph;
using XCally.ModernAuth.Graph.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Microsoft Graph as a mail transport to XCally.ModernAuth.</summary>
public static class GraphBuilderExtensions
{
    /// <summary>The name of the HttpClient whose primary handler carries Graph requests (a proxy, or a test certificate).</summary>
    public const string HttpClientName = GraphClients.HttpClientName;

    /// <summary>
    /// Registers the Graph transport: accounts with <c>Transport: Graph</c> send and read through Microsoft Graph, and
    /// <c>Transport: Auto</c> accounts send through it once SMTP AUTH is found disabled. Tokens come from the SDK's token provider
    /// (<see cref="TokenResource.MicrosoftGraph"/>). Options are validated at start.
    /// </summary>
    /// <param name="builder">The builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="configure">Changes the defaults of <see cref="GraphMailOptions"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddGraphTransport(this IModernAuthBuilder builder, Action<GraphMailOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptionsWithValidateOnStart<GraphMailOptions, GraphMailOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHttpClient(HttpClientName);
        services.TryAddSingleton<GraphClients>();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(IMailTransportFactory) && descriptor.ImplementationType == typeof(GraphMailTransportFactory)))
        {
            services.AddSingleton<IMailTransportFactory, GraphMailTransportFactory>();
        }

        return builder;
    }

    /// <summary>
    /// Registers <see cref="GraphSubscriptions"/> (change-notification subscriptions, renewed in the background) for hosts with a
    /// public HTTPS endpoint; map the endpoint with <c>app.MapGraphNotifications()</c> and register an <see cref="IGraphMailChangeHandler"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="configure">Sets <see cref="GraphNotificationOptions.NotificationUrl"/> and the lifetimes.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder AddGraphNotifications(this IModernAuthBuilder builder, Action<GraphNotificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddGraphTransport();
        builder.Services.AddOptions<GraphNotificationOptions>().Configure(configure).Validate(
            o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= TimeSpan.FromMinutes(10080) && o.RenewBefore > TimeSpan.Zero && o.RenewBefore < o.Lifetime && o.CheckInterval > TimeSpan.Zero,
            "GraphNotificationOptions: Lifetime must be at most 10080 minutes (7 days, Graph's limit for messages), RenewBefore shorter than Lifetime, CheckInterval positive.").ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(provider => new GraphSubscriptions(
            provider.GetRequiredService<IMailTransports>(),
            provider.GetRequiredService<IOptions<GraphNotificationOptions>>(),
            provider.GetServices<IGraphMailChangeHandler>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<GraphSubscriptions>>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GraphSubscriptions>(provider => provider.GetRequiredService<GraphSubscriptions>()));
        return builder;
    }
}
