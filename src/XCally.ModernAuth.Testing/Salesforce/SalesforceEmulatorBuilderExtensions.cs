using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Salesforce;

namespace XCally.ModernAuth.Testing;

/// <summary>Points an SDK host at a <see cref="SalesforceEmulator"/>.</summary>
public static class SalesforceEmulatorBuilderExtensions
{
    /// <summary>
    /// Registers the Salesforce package and adds a Salesforce provider signing in to the emulated org, trusting exactly the org's
    /// run-time certificate on the <see cref="SalesforceDefaults.HttpClientName"/> client. Nothing else is relaxed.
    /// </summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="emulator">The running org.</param>
    /// <param name="providerName">The provider's name. Default <c>salesforce</c>.</param>
    /// <param name="flow">The flow. Default <see cref="SalesforceFlow.ClientCredentials"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseSalesforceEmulator(
        this IModernAuthBuilder builder,
        SalesforceEmulator emulator,
        string providerName = "salesforce",
        SalesforceFlow flow = SalesforceFlow.ClientCredentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        builder.Services.AddHttpClient(SalesforceDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(emulator.CreateHttpMessageHandler);
        return builder.AddSalesforceProvider(providerName, options => emulator.ConfigureProvider(options, flow));
    }
}
