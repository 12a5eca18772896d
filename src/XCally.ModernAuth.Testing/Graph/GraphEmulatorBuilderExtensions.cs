using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Testing;

/// <summary>Points the Microsoft Graph transport of an SDK host at a <see cref="ModernAuthEmulator"/>.</summary>
public static class GraphEmulatorBuilderExtensions
{
    /// <summary>
    /// Registers the Graph transport with the emulator's Graph as base URL (the explicit non-Microsoft-host opt-in), trusting
    /// exactly the emulator's certificate for Graph requests, and sets the <see cref="EmailAccountOptions.Transport"/> of the
    /// accounts of <paramref name="cloudProviderName"/> (as added by <see cref="ModernAuthEmulatorBuilderExtensions.UseEmulator"/>).
    /// </summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="transport">The accounts' transport. Default <see cref="MailTransport.Graph"/>.</param>
    /// <param name="cloudProviderName">The provider whose accounts change. Default <c>emulator</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseGraphEmulator(
        this IModernAuthBuilder builder,
        ModernAuthEmulator emulator,
        MailTransport transport = MailTransport.Graph,
        string cloudProviderName = "emulator")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        builder.AddGraphTransport(options =>
        {
            options.BaseUrl = emulator.Graph.BaseAddress;
            options.AllowNonMicrosoftGraphHost = true;
        });
        builder.Services.AddHttpClient(GraphBuilderExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(emulator.Identity.CreateHttpMessageHandler);
        builder.Services.PostConfigure<ModernAuthOptions>(options =>
        {
            foreach (var account in options.EmailAccounts.Where(a => string.Equals(a.CloudProvider, cloudProviderName, StringComparison.OrdinalIgnoreCase)))
            {
                account.Transport = transport;
            }
        });
        return builder;
    }
}
