using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Whether the Data Protection key ring can be shared by the instances of a distributed token cache: the host's own, with its
/// keys persisted somewhere (Redis, a database, a shared folder), not Data Protection's default (this machine's profile, or
/// memory only), nor the SDK's private one.
/// </summary>
internal static class TokenCacheKeyRing
{
    public const string Fix =
        "Register a key ring every instance shares, with the same application name: services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToStackExchangeRedis(connection, \"DataProtection-Keys\") (package Microsoft.AspNetCore.DataProtection.StackExchangeRedis), or PersistKeysToDbContext / PersistKeysToFileSystem on a shared folder.";

    /// <summary>The problem with the key ring, or <see langword="null"/> when the instances can share it.</summary>
    public static string? Problem(IServiceProvider services)
    {
        if (services.GetService<IDataProtectionProvider>() is null)
        {
            return "The token cache is Distributed (several instances), but the host registered no Data Protection: the SDK's private key ring would be this machine's own, so no other instance could decrypt the entries.";
        }

        if (services.GetService<IOptions<KeyManagementOptions>>()?.Value.XmlRepository is null)
        {
            return "The token cache is Distributed (several instances), but the host's Data Protection keeps its keys in the default place (this machine's user profile, or memory only), which the other instances cannot read: each would fail to decrypt the others' entries.";
        }

        return null;
    }

    public static ModernAuthException NotShared(string? problem = null) =>
        new(ModernAuthErrorCategory.InvalidConfiguration, problem ?? Problem(EmptyServices.Instance)!, Fix);

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
