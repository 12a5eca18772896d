using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Tokens;

namespace XCally.ModernAuth.InteropTests.Hosting;

/// <summary>
/// An SDK host wired through the public API only (<c>AddXCallyModernAuth</c>, <c>AddCloudProvider</c>, <c>AddEmailAccount</c>,
/// <c>ConfigureMailConnector</c>) whose email accounts are mailboxes of the real stack. Made per test by
/// <see cref="MailStackFixture.StartHost"/>, so that each test sees its own token counts.
/// </summary>
public sealed class InteropHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    internal InteropHost(ServiceProvider services, DirectMailKitClients mailKit)
    {
        _services = services;
        Connector = services.GetRequiredService<IMailClientConnector>();
        TokenProvider = services.GetRequiredService<ITokenProvider>();
        Accounts = services.GetRequiredService<IEmailAccountStore>();
        CloudProviders = services.GetRequiredService<ICloudProviderStore>();
        Tokens = (EmulatorDelegatedTokenProvider)TokenProvider;
        Clients = new SdkMailClients(Connector, TokenProvider, Accounts, mailKit);
    }

    /// <summary>The SDK's connector.</summary>
    public IMailClientConnector Connector { get; }

    /// <summary>The token provider the SDK resolves (the emulator's delegated tokens).</summary>
    public ITokenProvider TokenProvider { get; }

    /// <summary>The same provider, for its counts and for queueing deliberately bad tokens.</summary>
    public EmulatorDelegatedTokenProvider Tokens { get; }

    /// <summary>The SDK's account store.</summary>
    public IEmailAccountStore Accounts { get; }

    /// <summary>The SDK's cloud provider store.</summary>
    public ICloudProviderStore CloudProviders { get; }

    /// <summary>Connected, authenticated clients made through the SDK.</summary>
    public IInteropMailClients Clients { get; }

    /// <summary>The configured account with that address.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The account.</returns>
    public async Task<EmailAccount> AccountAsync(string address) =>
        await Accounts.FindAsync(address, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"The host has no email account {address}.");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
