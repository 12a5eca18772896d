using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Demo;
using XCally.ModernAuth.Samples.Web.Secrets;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Web.Tests.Stores;

/// <summary>
/// The console's stores as the SDK sees them, on the real SQLite file: the change signal of a save, the sweep that stops a deleted
/// account's refreshes, one Salesforce session per unchanged provider, and secrets that survive a restart or name the fix when their
/// keys are gone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DatabaseStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveChanges_ProviderEdited_ChangeSignalFiresAndTheStoreReadsTheNewSettings()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: Ct);
        var store = host.App.Services.GetRequiredService<ICloudProviderStore>();
        var before = await store.FindAsync(DemoEnvironment.AppOnlyProvider, Ct);
        var signal = store.GetChangeToken()!;

        await using (var db = await host.OpenDatabaseAsync())
        {
            var row = await db.CloudProviders.SingleAsync(p => p.Name == DemoEnvironment.AppOnlyProvider, Ct);
            row.Cloud = CloudEnvironment.Global;
            row.ClientId = Guid.NewGuid().ToString();
            row.Version++;
            Assert.False(signal.HasChanged);
            await db.SaveChangesAsync(Ct);
        }

        Assert.True(signal.HasChanged);
        var after = await store.FindAsync(DemoEnvironment.AppOnlyProvider, Ct);
        Assert.NotEqual(before!.ClientId, after!.ClientId);
    }

    [Fact]
    public async Task SaveChanges_AdministratorOnly_NoChangeSignal()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: Ct);
        var signal = host.App.Services.GetRequiredService<IEmailAccountStore>().GetChangeToken()!;

        await host.App.Services.GetRequiredService<Administrators.AdministratorAccounts>().SetPasswordAsync("a password of some length", Ct);

        Assert.False(signal.HasChanged);
    }

    [Fact]
    public async Task DeleteRow_DelegatedAccountSignedIn_TheSweepStopsItsRefreshesWithoutARevoke()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: Ct);
        var emulator = host.Demo.Office365;
        var agent = emulator.Directory.FindUser(host.Demo.DelegatedAddress)!;
        emulator.Identity.SignIn = _ => agent;
        var accounts = host.App.Services.GetRequiredService<IEmailAccountStore>();
        var account = (await accounts.FindAsync(host.Demo.DelegatedAddress, Ct))!;
        var authorization = host.App.Services.GetRequiredService<IModernAuthAuthorization>();
        var callback = await emulator.SignInAsync(await authorization.BeginAsync(account, cancellationToken: Ct), Ct);
        await authorization.CompleteAsync(AuthorizationCallback.Parse(callback.Query), Ct);
        await host.App.Services.GetRequiredService<ITokenProvider>().GetAccessTokenAsync(account, TokenResource.ExchangeOnline, Ct);

        // While the account exists, its token is refreshed in the background as the clock moves.
        var refreshes = emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token");
        await Eventually.TrueAsync(
            () => emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token") > refreshes,
            () => host.Time.Advance(TimeSpan.FromMinutes(10)),
            "a background refresh of the delegated account");

        await using (var db = await host.OpenDatabaseAsync())
        {
            db.EmailAccounts.Remove(await db.EmailAccounts.SingleAsync(a => a.Address == account.Address, Ct));
            await db.SaveChangesAsync(Ct);
        }

        Assert.Null(await accounts.FindAsync(account.Address, Ct));
        refreshes = emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token");
        for (var i = 0; i < 4; i++)
        {
            var control = emulator.Identity.Counters.TokenRequestsForGrantType("client_credentials");
            await Eventually.TrueAsync(
                () => emulator.Identity.Counters.TokenRequestsForGrantType("client_credentials") > control,
                () => host.Time.Advance(TimeSpan.FromMinutes(10)),
                "a background refresh of the app-only demo provider");
        }

        Assert.Equal(refreshes, emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token"));
        Assert.True(await authorization.IsAuthorizedAsync(account, Ct), "The sign-in itself was left in the token cache: only the refreshes stopped.");
    }

    [Fact]
    public async Task SalesforceStore_ProviderUnchanged_SameInstanceAndOneSignIn()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: Ct);
        var store = host.App.Services.GetRequiredService<ISalesforceProviderStore>();
        var sessions = host.App.Services.GetRequiredService<ISalesforceSessionProvider>();

        var first = await store.FindAsync(DemoEnvironment.SalesforceProviderName, Ct);
        await sessions.GetSessionAsync(DemoEnvironment.SalesforceProviderName, Ct);
        await sessions.GetSessionAsync(DemoEnvironment.SalesforceProviderName, Ct);

        Assert.Same(first, await store.FindAsync(DemoEnvironment.SalesforceProviderName, Ct));
        Assert.Equal(1, host.Demo.Salesforce.Counters.TokenRequests);

        // An edit of another provider keeps this instance (and its session).
        await using (var db = await host.OpenDatabaseAsync())
        {
            (await db.CloudProviders.SingleAsync(p => p.Name == DemoEnvironment.AppOnlyProvider, Ct)).Version++;
            await db.SaveChangesAsync(Ct);
        }

        await sessions.GetSessionAsync(DemoEnvironment.SalesforceProviderName, Ct);
        Assert.Same(first, await store.FindAsync(DemoEnvironment.SalesforceProviderName, Ct));
        Assert.Equal(1, host.Demo.Salesforce.Counters.TokenRequests);
    }

    /// <summary>
    /// Salesforce providers compare by their settings, as the core's do: a store that builds a new
    /// <see cref="SalesforceProvider"/> per lookup keeps one session.
    /// </summary>
    [Fact]
    public async Task SalesforceSessions_StoreBuildingANewInstancePerLookup_OneSignIn()
    {
        await using var salesforce = await SalesforceEmulator.StartAsync(cancellationToken: Ct);
        var options = new SalesforceProviderOptions();
        salesforce.ConfigureProvider(options);
        var services = new ServiceCollection();
        services.AddSingleton<ISalesforceProviderStore>(new NewInstanceEveryTime(options));
        services.AddXCallyModernAuth().AddSalesforce();
        services.AddHttpClient(SalesforceDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(salesforce.CreateHttpMessageHandler);
        await using var provider = services.BuildServiceProvider();
        var sessions = provider.GetRequiredService<ISalesforceSessionProvider>();

        for (var i = 0; i < 3; i++)
        {
            await sessions.GetSessionAsync("org", Ct);
        }

        Assert.Equal(1, salesforce.Counters.TokenRequests);
    }

    [Fact]
    public async Task Restart_SameDataFolder_SavedSecretsStillDecrypt()
    {
        string dataDirectory;
        var secret = Guid.NewGuid().ToString("N") + "~Aa1";
        await using (var first = await ConsoleHost.StartAsync(cancellationToken: Ct))
        {
            first.KeepData = true;
            dataDirectory = first.DataDirectory;
            await SaveProviderAsync(first, "kept", secret);
        }

        await using var second = await ConsoleHost.StartAsync(cancellationToken: Ct, dataDirectory: dataDirectory);
        var provider = await second.App.Services.GetRequiredService<ICloudProviderStore>().FindAsync("kept", Ct);

        // Decrypting with the restarted console's key ring worked: the provider was built with its secret.
        Assert.IsType<ClientSecretCredential>(provider!.Credential);
        await using var db = await second.OpenDatabaseAsync();
        var row = await db.CloudProviders.AsNoTracking().SingleAsync(p => p.Name == "kept", Ct);
        Assert.Equal(secret, second.App.Services.GetRequiredService<XCally.ModernAuth.Samples.Web.Stores.RecordMapping>().ToOptions(row).ClientSecret);
    }

    [Fact]
    public async Task Find_SecretUnreadableWithTheseKeys_ErrorNamesTheProviderAndTheFix()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: Ct);
        await SaveProviderAsync(host, "rotated-keys", "some-secret-value");
        await using (var db = await host.OpenDatabaseAsync())
        {
            var row = await db.CloudProviders.SingleAsync(p => p.Name == "rotated-keys", Ct);
            row.ProtectedSecret = "CfDJ8" + Convert.ToBase64String(new byte[64]);
            row.Version++;
            await db.SaveChangesAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () =>
            await host.App.Services.GetRequiredService<ICloudProviderStore>().FindAsync("rotated-keys", Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("client secret of cloud provider 'rotated-keys' cannot be decrypted", error.Message, StringComparison.Ordinal);
        Assert.Contains("Enter it again", error.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain(await host.App.Services.GetRequiredService<ICloudProviderStore>().ListAsync(Ct), p => p.Name == "rotated-keys");
    }

    private static async Task SaveProviderAsync(ConsoleHost host, string name, string secret)
    {
        var secrets = host.App.Services.GetRequiredService<SecretProtector>();
        await using var db = await host.OpenDatabaseAsync();
        db.CloudProviders.Add(new CloudProviderRecord
        {
            Name = name,
            NormalizedName = name.ToUpperInvariant(),
            TenantId = Guid.NewGuid().ToString(),
            ClientId = Guid.NewGuid().ToString(),
            ProtectedSecret = secrets.Protect(secret),
            SecretSetOn = DateTimeOffset.UtcNow,
            Version = 1,
        });
        await db.SaveChangesAsync(Ct);
    }

    private sealed class NewInstanceEveryTime(SalesforceProviderOptions options) : ISalesforceProviderStore
    {
        public ValueTask<SalesforceProvider?> FindAsync(string name, CancellationToken cancellationToken = default) =>
            new(SalesforceProvider.Create(name, options));

        public ValueTask<IReadOnlyList<SalesforceProvider>> ListAsync(CancellationToken cancellationToken = default) =>
            new([SalesforceProvider.Create("org", options)]);
    }
}
