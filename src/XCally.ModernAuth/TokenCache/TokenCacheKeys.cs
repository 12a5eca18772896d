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
