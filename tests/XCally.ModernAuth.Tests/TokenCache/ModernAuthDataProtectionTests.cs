using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
}
