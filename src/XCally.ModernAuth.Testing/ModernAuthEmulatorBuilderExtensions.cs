using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Testing;

/// <summary>Points an SDK host at a <see cref="ModernAuthEmulator"/>.</summary>
public static class ModernAuthEmulatorBuilderExtensions
{
    /// <summary>
    /// Adds a cloud provider and an email account per emulator mailbox, all pointing at the emulator, and makes the SDK trust exactly
    /// the emulator's run-time certificates: the identity platform's for the <see cref="ModernAuthDefaults.HttpClientName"/> client,
    /// the mail servers' for the mail connector. Nothing else is relaxed: tokens still travel only over TLS.
    /// </summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="cloudProviderName">The name of the cloud provider to add. Default <c>emulator</c>.</param>
    /// <param name="flow">The provider's flow. Default <see cref="AuthFlow.AppOnly"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder UseEmulator(
        this IModernAuthBuilder builder,
        ModernAuthEmulator emulator,
        string cloudProviderName = "emulator",
        AuthFlow flow = AuthFlow.AppOnly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentException.ThrowIfNullOrWhiteSpace(cloudProviderName);

        builder.Services.AddHttpClient(ModernAuthDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(emulator.Identity.CreateHttpMessageHandler);
        builder.ConfigureMailConnector(options => options.ServerCertificateValidationCallback = emulator.TrustMailServerCertificate());
        builder.AddCloudProvider(cloudProviderName, provider => emulator.ConfigureCloudProvider(provider, flow));
        if (flow == AuthFlow.AppOnly)
        {
            foreach (var mailbox in emulator.Mailboxes)
            {
                builder.AddEmailAccount(mailbox.Address, cloudProviderName, emulator.ConfigureEmailAccount);
            }
        }

        return builder;
    }
}
