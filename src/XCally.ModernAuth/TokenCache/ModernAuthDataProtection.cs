using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Hands out the Data Protection protectors that encrypt token cache entries and sign-in state. The host's own
/// <c>AddDataProtection()</c> (key storage, application name) is used when it registered one; otherwise a private instance with
/// Data Protection's default key storage is created on first use. The SDK does not register Data Protection itself, because
/// that would start its key ring hosted service (creating keys and logging warnings) in every host, app-only ones included.
/// </summary>
internal sealed class ModernAuthDataProtection(IServiceProvider services) : IDisposable
{
    private readonly Lazy<(IDataProtectionProvider Provider, ServiceProvider? Owned)> _provider = new(() =>
    {
        if (services.GetService<IDataProtectionProvider>() is { } hosts)
        {
            return (hosts, null);
        }

        var owned = new ServiceCollection().AddDataProtection().Services.BuildServiceProvider();
        return (owned.GetRequiredService<IDataProtectionProvider>(), owned);
    });

    public IDataProtector CreateProtector(string purpose) => _provider.Value.Provider.CreateProtector(purpose);

    public void Dispose()
    {
        if (_provider.IsValueCreated)
        {
            _provider.Value.Owned?.Dispose();
        }
    }
}
