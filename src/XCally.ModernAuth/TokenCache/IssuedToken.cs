using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// What a token cache entry records of the access token obtained last for one scope set: a fingerprint (a hash, never the
/// token), when it was obtained and when it expires, on the SDK's <see cref="TimeProvider"/> (MSAL stamps its own cache with
/// the system clock). Instances sharing the entry use it to tell a token another instance has just obtained from the one they
/// hold.
/// </summary>
internal sealed record IssuedToken(uint ScopeKey, byte[] Fingerprint, DateTimeOffset ObtainedOn, DateTimeOffset ExpiresOn)
{
    public const int Length = 4 + FingerprintLength + 8 + 8;
    private const int FingerprintLength = 16;

    public static IssuedToken Of(uint scopeKey, AccessToken token, DateTimeOffset obtainedOn) =>
        new(scopeKey, FingerprintOf(token.Token), obtainedOn, token.ExpiresOn);

    public bool IsFor(string token) => Fingerprint.AsSpan().SequenceEqual(FingerprintOf(token));

    public TimeSpan Lifetime => ExpiresOn - ObtainedOn;

    /// <summary>A stable key for a set of scopes, whatever their order and case.</summary>
    public static uint ScopeKeyOf(IEnumerable<string> scopes)
    {
        var canonical = string.Join(' ', scopes.Select(scope => scope.ToUpperInvariant()).Order(StringComparer.Ordinal));
        return BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static byte[] FingerprintOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token))[..FingerprintLength];

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, ScopeKey);
        Fingerprint.CopyTo(destination[4..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[(4 + FingerprintLength)..], ObtainedOn.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(destination[(12 + FingerprintLength)..], ExpiresOn.UtcTicks);
    }

    public static IssuedToken Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        source.Slice(4, FingerprintLength).ToArray(),
        new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(source[(4 + FingerprintLength)..]), TimeSpan.Zero),
        new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(source[(12 + FingerprintLength)..]), TimeSpan.Zero));
}
