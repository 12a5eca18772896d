using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Stores;

public class OptionsCloudProviderStoreTests
{
    private const string SecretKey = "XCallyModernAuth:CloudProviders:contoso:ClientSecret";

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddXCallyModernAuth(configuration);
        return services.BuildServiceProvider();
    }

    private static string SecretOf(CloudProvider provider) => ((ClientSecretCredential)provider.Credential).Secret;

    [Fact]
    public async Task FindAsync_NameInAnyCase_CompletesSynchronouslyWithTheProvider()
    {
        using var services = Services(TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret())));
        var store = services.GetRequiredService<ICloudProviderStore>();

        var lookup = store.FindAsync("CONTOSO", TestContext.Current.CancellationToken);

        Assert.True(lookup.IsCompletedSuccessfully);
        Assert.Equal("contoso", (await lookup)!.Name);
        Assert.Null(await store.FindAsync("fabrikam", TestContext.Current.CancellationToken));
        Assert.Single(await store.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FindAsync_Warm_AllocatesNothing()
    {
        using var services = Services(TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret())));
        var store = services.GetRequiredService<ICloudProviderStore>();
        await store.FindAsync("contoso", TestContext.Current.CancellationToken);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = await store.FindAsync("Contoso", TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Reload_RotatedSecret_NewProviderWhileOldReferenceKeepsOldSecret()
    {
        var oldSecret = TestConfiguration.NewSecret();
        var newSecret = TestConfiguration.NewSecret();
        var configuration = TestConfiguration.FromValues(TestConfiguration.ValidValues(oldSecret));
        using var services = Services(configuration);
        var store = services.GetRequiredService<ICloudProviderStore>();
        var before = (await store.FindAsync("contoso", TestContext.Current.CancellationToken))!;

        configuration[SecretKey] = newSecret;
        configuration.Reload();
        var after = (await store.FindAsync("contoso", TestContext.Current.CancellationToken))!;

        Assert.NotSame(before, after);
        Assert.Equal(newSecret, SecretOf(after));
        Assert.Equal(oldSecret, SecretOf(before));
    }

    [Fact]
    public async Task Reload_NothingChanged_KeepsTheSameInstances()
    {
        var configuration = TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret()));
        using var services = Services(configuration);
        var providers = services.GetRequiredService<ICloudProviderStore>();
        var accounts = services.GetRequiredService<IEmailAccountStore>();
        var provider = await providers.FindAsync("contoso", TestContext.Current.CancellationToken);
        var account = await accounts.FindAsync("sales@contoso.com", TestContext.Current.CancellationToken);

        configuration["Unrelated:Setting"] = "changed";
        configuration.Reload();

        Assert.Same(provider, await providers.FindAsync("contoso", TestContext.Current.CancellationToken));
        Assert.Same(account, await accounts.FindAsync("sales@contoso.com", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reload_InvalidConfiguration_KeepsLastGoodSnapshotAndLogsError()
    {
        var secret = TestConfiguration.NewSecret();
        var configuration = TestConfiguration.FromValues(TestConfiguration.ValidValues(secret));
        using var services = Services(configuration);
        var store = services.GetRequiredService<ICloudProviderStore>();
        var before = await store.FindAsync("contoso", TestContext.Current.CancellationToken);

        configuration["XCallyModernAuth:CloudProviders:contoso:ClientId"] = "abc";
        configuration["XCallyModernAuth:CloudProviders:contoso:Cloud"] = "Mars";
        configuration.Reload();

        Assert.Same(before, await store.FindAsync("contoso", TestContext.Current.CancellationToken));
        var logged = services.GetFakeLogCollector().GetSnapshot();
        var error = Assert.Single(logged, record => record.Level == LogLevel.Error && !record.Category!.EndsWith("ModernAuthOptionsValidator", StringComparison.Ordinal));
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:ClientId: 'abc' is not a GUID", error.Message, StringComparison.Ordinal);

        // The validator also logs each problem as its own line.
        Assert.Equal(2, logged.Count(record => record.Level == LogLevel.Error && record.Category!.EndsWith("ModernAuthOptionsValidator", StringComparison.Ordinal)));
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:Cloud: 'Mars' is not a cloud", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_FixedAfterInvalid_AppliesTheFix()
    {
        var configuration = TestConfiguration.FromValues(TestConfiguration.ValidValues(TestConfiguration.NewSecret()));
        using var services = Services(configuration);
        var store = services.GetRequiredService<ICloudProviderStore>();
        _ = await store.FindAsync("contoso", TestContext.Current.CancellationToken);
        configuration["XCallyModernAuth:CloudProviders:contoso:ClientId"] = "abc";
        configuration.Reload();

        var fixedSecret = TestConfiguration.NewSecret();
        configuration["XCallyModernAuth:CloudProviders:contoso:ClientId"] = TestConfiguration.ClientId;
        configuration[SecretKey] = fixedSecret;
        configuration.Reload();

        Assert.Equal(fixedSecret, SecretOf((await store.FindAsync("contoso", TestContext.Current.CancellationToken))!));
    }

    [Fact]
    public void Build_UnknownKeyAndSecretId_LoggedAsWarnings()
    {
        var values = TestConfiguration.ValidValues(Guid.NewGuid().ToString());
        values["XCallyModernAuth:CloudProviders:contoso:ClientSercet"] = "typo";
        using var services = Services(TestConfiguration.FromValues(values));

        _ = services.GetRequiredService<ICloudProviderStore>();

        var warnings = services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Contains(warnings, m => m.Contains("'XCallyModernAuth:CloudProviders:contoso:ClientSercet' is not known", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("Secret ID", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SecretExpiringWithinTwoWeeks_LoggedAsWarning()
    {
        var values = TestConfiguration.ValidValues(TestConfiguration.NewSecret());
        values["XCallyModernAuth:CloudProviders:contoso:SecretExpiresOn"] = DateTimeOffset.UtcNow.AddDays(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using var services = Services(TestConfiguration.FromValues(values));

        _ = services.GetRequiredService<ICloudProviderStore>();

        Assert.Contains(services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("expires on", StringComparison.Ordinal));
    }
}
