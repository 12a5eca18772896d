using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Testing;

/// <summary>Points an SDK host at a <see cref="ModernAuthEmulator"/>.</summary>
public static class ModernAuthEmulatorBuilderExtensions
{
    /// <summary>
    /// Adds a cloud provider and email accounts, all pointing at the emulator: for <see cref="AuthFlow.AppOnly"/> an account per
    /// shared mailbox (no owner) registered before the host starts, for <see cref="AuthFlow.Delegated"/> an account per user's own mailbox
    /// (<see cref="ModernAuthEmulator.AddUserWithMailbox"/>, registered before the host starts). It makes the SDK trust exactly
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

        builder.TrustEmulator(emulator);
        builder.AddCloudProvider(cloudProviderName, provider => emulator.ConfigureCloudProvider(provider, flow));
        var mailboxes = flow == AuthFlow.AppOnly
            ? emulator.Mailboxes.Where(mailbox => mailbox.Owner is null)
            : emulator.Mailboxes.Where(mailbox => mailbox.Owner is not null);
        foreach (var mailbox in mailboxes)
        {
            builder.AddEmailAccount(mailbox.Address, cloudProviderName, emulator.ConfigureEmailAccount);
        }

        return builder;
    }

    /// <summary>
    /// Makes the SDK trust exactly the emulator's run-time certificates, and adds nothing else: for a host that keeps its providers
    /// and accounts in its own store (<see cref="ICloudProviderStore"/>, <see cref="IEmailAccountStore"/>) and fills them with
    /// <see cref="ModernAuthEmulator.ConfigureCloudProvider"/> and <see cref="ModernAuthEmulator.ConfigureEmailAccount"/>. The
    /// identity platform's certificate is trusted on the <see cref="ModernAuthDefaults.HttpClientName"/> client, the mail servers'
    /// by the mail connector; tokens still travel only over TLS.
    /// </summary>
    /// <param name="builder">The SDK builder from <c>AddXCallyModernAuth</c>.</param>
    /// <param name="emulator">The running emulator.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IModernAuthBuilder TrustEmulator(this IModernAuthBuilder builder, ModernAuthEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        builder.Services.AddHttpClient(ModernAuthDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(emulator.Identity.CreateHttpMessageHandler);
        builder.ConfigureMailConnector(options => options.ServerCertificateValidationCallback = emulator.TrustMailServerCertificate());
        return builder;
    }
}
