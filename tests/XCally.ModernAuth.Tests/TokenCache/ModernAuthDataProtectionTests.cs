using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.TokenCache;

public class ModernAuthDataProtectionTests
{
    [Fact]
    public void AddXCallyModernAuth_Host_RegistersNoDataProtectionOrHostedService()
    {
        var services = new ServiceCollection();
        services.AddXCallyModernAuth();

        // Data Protection's hosted service would create a key ring (and warn) in every host, app-only ones included.
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IDataProtectionProvider));
    }

    [Fact]
    public void CreateProtector_HostRegisteredDataProtection_UsesTheHosts()
    {
        var hosts = new EphemeralDataProtectionProvider();
        using var provider = new ServiceCollection().AddSingleton<IDataProtectionProvider>(hosts).BuildServiceProvider();
        using var protection = new ModernAuthDataProtection(provider);

        var protectedText = protection.CreateProtector("purpose").Protect("payload");

        Assert.Equal("payload", hosts.CreateProtector("purpose").Unprotect(protectedText));
    }

    [Fact]
    public void CreateProtector_NoHostDataProtection_OwnInstanceRoundTrips()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();
        using var protection = new ModernAuthDataProtection(provider);
        var protector = protection.CreateProtector("purpose");

        var protectedText = protector.Protect("payload");

        Assert.NotEqual("payload", protectedText);
        Assert.Equal("payload", protector.Unprotect(protectedText));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FileCache_NoHostKeyRing_KeyRingBesideTheCacheOwnerOnlyLoggedOnceAndReadAfterARestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "xcally-keyring-" + Guid.NewGuid().ToString("N"));
        var logs = new FakeLogCollector();
        try
        {
            await using (var first = Host(folder, logs))
            {
                var store = first.GetRequiredService<TokenCacheEntryStore>();
                await store.WriteAsync("key", new TokenCacheEntry(DelegatedClientKind.Confidential, [1, 2, 3]), TestContext.Current.CancellationToken);
                await store.WriteAsync("other", new TokenCacheEntry(DelegatedClientKind.Confidential, [4]), TestContext.Current.CancellationToken);
            }

            var keys = Path.Combine(folder, ModernAuthDataProtection.KeyFolderName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            var keyFile = Assert.Single(Directory.GetFiles(keys, "*.xml"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            var warning = Assert.Single(logs.GetSnapshot(), record => record.Id.Id == 1312);
            Assert.Contains(keys, warning.Message, StringComparison.Ordinal);
            Assert.Contains("ProtectKeysWithCertificate", warning.Message, StringComparison.Ordinal);

            await using var restarted = Host(folder, new FakeLogCollector());
            var read = await restarted.GetRequiredService<TokenCacheEntryStore>().ReadAsync("key", TestContext.Current.CancellationToken);
            Assert.Equal([1, 2, 3], read!.MsalCache);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ServiceProvider Host(string folder, FakeLogCollector logs)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        services.AddXCallyModernAuth().UseFileTokenCache(folder);
        return services.BuildServiceProvider();
    }
}
