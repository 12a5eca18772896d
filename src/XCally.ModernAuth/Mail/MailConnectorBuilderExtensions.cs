using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth;

/// <summary>Configures the <see cref="IMailClientConnector"/>.</summary>
public static class MailConnectorBuilderExtensions
{
    /// <summary>Sets the connector's options (certificate validation, timeouts, protocol logging).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder ConfigureMailConnector(this IModernAuthBuilder builder, Action<MailConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
