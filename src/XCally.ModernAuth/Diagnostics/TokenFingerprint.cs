using System.Security.Cryptography;
using System.Text;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// A short, one-way fingerprint of a token for log lines, so that an administrator can tell tokens apart (which one a mail
/// server refused, which one replaced it) without the token ever being written down.
/// </summary>
internal static class TokenFingerprint
{
    /// <summary>The first 8 hex digits of the token's SHA-256, e.g. <c>sha256:1A2B3C4D</c>.</summary>
    public static string Of(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return "sha256:" + Convert.ToHexString(hash[..4]);
    }
}
