using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Hands out the Data Protection protectors that encrypt token cache entries and sign-in state. The host's own
/// <c>AddDataProtection()</c> (key storage, application name) is used when it registered one. Otherwise a private instance is
/// created on first use: for the file cache its key ring is kept beside the entries (in a <c>keys</c> folder, the owner's only,
/// each key file <c>0600</c>) so that a restart, or a service without a home folder, keeps every sign-in; for the memory
/// cache it lives in memory. The SDK does not register Data Protection itself, because that would start its key ring hosted
/// service (creating keys and logging warnings) in every host, app-only ones included.
/// </summary>
internal sealed partial class ModernAuthDataProtection : IDisposable
{
    /// <summary>The folder of the private key ring, inside the file cache's folder.</summary>
    public const string KeyFolderName = "keys";

    private readonly IServiceProvider _services;
    private readonly Lazy<(IDataProtectionProvider Provider, ServiceProvider? Owned)> _provider;

    public ModernAuthDataProtection(IServiceProvider services)
    {
        _services = services;
        _provider = new(CreateProvider);
    }

    public IDataProtector CreateProtector(string purpose) => _provider.Value.Provider.CreateProtector(purpose);

    public void Dispose()
    {
        if (_provider.IsValueCreated)
        {
            _provider.Value.Owned?.Dispose();
        }
    }

    private (IDataProtectionProvider Provider, ServiceProvider? Owned) CreateProvider()
    {
        if (_services.GetService<IDataProtectionProvider>() is { } hosts)
        {
            return (hosts, null);
        }

        var options = _services.GetService<IOptions<TokenCacheOptions>>() is { } configured
            ? TokenCacheConfiguration.Read(configured)
            : new TokenCacheOptions { Storage = TokenCacheStorage.Memory };
        var logger = (ILogger?)_services.GetService<ILogger<ModernAuthDataProtection>>() ?? NullLogger.Instance;
        switch (options.Storage)
        {
            case TokenCacheStorage.Memory:
                return (new EphemeralDataProtectionProvider(), null);
            case TokenCacheStorage.Distributed:
                throw TokenCacheKeyRing.NotShared();
        }

        var cacheFolder = TokenCacheConfiguration.Directory(options);
        var keyFolder = Path.Combine(cacheFolder, KeyFolderName);
        FileDistributedCache.SecureFolder(cacheFolder, logger);
        FileDistributedCache.SecureFolder(keyFolder, logger);
        var loggerFactory = _services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        var builder = services.AddDataProtection().SetApplicationName("XCally.ModernAuth");
        services.Configure<KeyManagementOptions>(keys =>
            keys.XmlRepository = new OwnerOnlyXmlRepository(new FileSystemXmlRepository(new DirectoryInfo(keyFolder), loggerFactory), keyFolder));
        if (OperatingSystem.IsWindows())
        {
            builder.ProtectKeysWithDpapi();
        }
        else
        {
            LogKeysNotProtectedAtRest(logger, keyFolder, cacheFolder);
        }

        var owned = services.BuildServiceProvider();
        return (owned.GetRequiredService<IDataProtectionProvider>(), owned);
    }

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning,
        Message = "The token cache in '{CacheFolder}' is encrypted with the SDK's own Data Protection key ring, kept unencrypted in '{KeyFolder}' (readable by this account only): whoever can read that folder as this account can decrypt the sign-ins. To protect the keys at rest, register the host's key ring: services.AddDataProtection().PersistKeysToFileSystem(...).ProtectKeysWithCertificate(...) (or .ProtectKeysWithDpapi() on Windows, ProtectKeysWithAzureKeyVault(...)).")]
    private static partial void LogKeysNotProtectedAtRest(ILogger logger, string keyFolder, string cacheFolder);

    // Data Protection writes key files with the process's default mode; the SDK's own ring is the owner's only.
    private sealed class OwnerOnlyXmlRepository(IXmlRepository inner, string folder) : IXmlRepository
    {
        public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements() => inner.GetAllElements();

        public void StoreElement(System.Xml.Linq.XElement element, string friendlyName)
        {
            inner.StoreElement(element, friendlyName);
            if (!OperatingSystem.IsWindows())
            {
                foreach (var file in Directory.EnumerateFiles(folder))
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }
    }
}
