namespace XCally.ModernAuth.Internal;

/// <summary>One account's MSAL token cache (<c>SerializeMsalV3</c>) and the client kind that wrote it.</summary>
internal sealed class TokenCacheEntry(DelegatedClientKind clientKind, byte[] msalCache)
{
    // "XT", format 1: the header is inside the protected payload, so a tampered header fails decryption like any other byte.
    private const byte Magic0 = (byte)'X';
    private const byte Magic1 = (byte)'T';
    private const byte Version = 1;
    private const int HeaderLength = 4;

    public DelegatedClientKind ClientKind { get; } = clientKind;

    public byte[] MsalCache { get; } = msalCache;

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderLength + MsalCache.Length];
        bytes[0] = Magic0;
        bytes[1] = Magic1;
        bytes[2] = Version;
        bytes[3] = (byte)ClientKind;
        MsalCache.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    public static TokenCacheEntry? TryParse(byte[] bytes)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Magic0 || bytes[1] != Magic1 || bytes[2] != Version
            || !Enum.IsDefined((DelegatedClientKind)bytes[3]))
        {
            return null;
        }

        return new TokenCacheEntry((DelegatedClientKind)bytes[3], bytes[HeaderLength..]);
    }
}
