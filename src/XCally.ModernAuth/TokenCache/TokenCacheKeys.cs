using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The cache key of one delegated account: a hash of the tenant, the client and the address, so that keys in a shared store
/// (Redis, file names) reveal no mailbox address, and another app registration never reads this one's tokens.
/// </summary>
internal static class TokenCacheKeys
{
    public const string Prefix = "xcally-modernauth-tokens-";

    /// <summary>The prefix of app-only entries (<see cref="TokenCacheOptions.CacheAppOnlyTokens"/>).</summary>
    public const string AppPrefix = "xcally-modernauth-apptokens-";

    /// <summary>The cache key of one app registration's app-only tokens: a hash of the sign-in host, the tenant and the client.</summary>
    public static string ForApp(CloudProvider provider)
    {
        var identity = string.Join(
            '\n',
            provider.AuthorityHost.GetLeftPart(UriPartial.Authority).ToUpperInvariant(),
            provider.TenantId.ToUpperInvariant(),
            provider.ClientId.ToUpperInvariant());
        return AppPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))).ToLower(CultureInfo.InvariantCulture);
    }

    public static string For(CloudProvider provider, string accountAddress)
    {
        var identity = string.Join(
            '\n',
            provider.AuthorityHost.GetLeftPart(UriPartial.Authority).ToUpperInvariant(),
            provider.TenantId.ToUpperInvariant(),
            provider.ClientId.ToUpperInvariant(),
            accountAddress.ToUpperInvariant());
        return Prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))).ToLower(CultureInfo.InvariantCulture);
    }
}
