using System.Buffers.Binary;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// One account's MSAL token cache (<c>SerializeMsalV3</c>), the client kind that wrote it, a version that orders writes, and
/// what the SDK knows of the access tokens in it (<see cref="IssuedToken"/>: which one was obtained last per scope set, and
/// when it expires on the SDK's clock), so that an instance can take another's fresh token instead of redeeming the refresh
/// token again. A removed entry (<see cref="IsRemoved"/>) is kept as a marker, so that a store that lost it is not mistaken
/// for a store that never had it.
/// </summary>
internal sealed class TokenCacheEntry
{
    // "XT", format 2 (format 1 had no version or tokens): the header is inside the protected payload, so a tampered header fails
    // decryption like any other byte.
    private const byte Magic0 = (byte)'X';
    private const byte Magic1 = (byte)'T';
    private const byte Version1 = 1;
    private const byte Version2 = 2;
    private const int Version1HeaderLength = 4;
    private const int Version2HeaderLength = 21;
    private const byte RemovedKind = 0;

    public TokenCacheEntry(DelegatedClientKind clientKind, byte[] msalCache, long version = 0, IReadOnlyList<IssuedToken>? tokens = null, long restoredOnTicks = 0)
    {
        ClientKind = clientKind;
        MsalCache = msalCache;
        Version = version;
        Tokens = tokens ?? [];
        RestoredOnTicks = restoredOnTicks;
    }

    private TokenCacheEntry(long version, long restoredOnTicks)
    {
        MsalCache = [];
        Version = version;
        Tokens = [];
        IsRemoved = true;
        RestoredOnTicks = restoredOnTicks;
    }

    public DelegatedClientKind ClientKind { get; }

    public byte[] MsalCache { get; }

    /// <summary>Orders writes of the same entry (UTC ticks of the write, or one more than the version it replaced).</summary>
    public long Version { get; }

    /// <summary>The access tokens obtained last, one per scope set.</summary>
    public IReadOnlyList<IssuedToken> Tokens { get; }

    /// <summary>Whether the sign-in was removed (revoked); the entry holds nothing else.</summary>
    public bool IsRemoved { get; }

    /// <summary>
    /// When an instance wrote this entry back into a store that had lost it (UTC ticks; 0 when it was written by a sign-in or a
    /// refresh): for a while after that another instance may still hold a newer one, so the others do not redeem from it.
    /// </summary>
    public long RestoredOnTicks { get; }

    public static TokenCacheEntry Removed(long version) => new(version, 0);

    public TokenCacheEntry WithVersion(long version) =>
        IsRemoved ? new TokenCacheEntry(version, RestoredOnTicks) : new TokenCacheEntry(ClientKind, MsalCache, version, Tokens, RestoredOnTicks);

    /// <summary>The same entry, marked as written back into a store that had lost it (or held an older one).</summary>
    public TokenCacheEntry AsRestored(long restoredOnTicks) =>
        IsRemoved ? new TokenCacheEntry(Version, restoredOnTicks) : new TokenCacheEntry(ClientKind, MsalCache, Version, Tokens, restoredOnTicks);

    /// <summary>The same entry with <paramref name="token"/> as the last token of its scope set.</summary>
    public TokenCacheEntry WithToken(IssuedToken token)
    {
        var tokens = Tokens.Where(existing => existing.ScopeKey != token.ScopeKey).Append(token).ToArray();
        return new TokenCacheEntry(ClientKind, MsalCache, Version, tokens, RestoredOnTicks);
    }

    public IssuedToken? FindToken(uint scopeKey) => Tokens.FirstOrDefault(token => token.ScopeKey == scopeKey);

    public byte[] ToBytes()
    {
        var length = Version2HeaderLength + (Tokens.Count * IssuedToken.Length) + MsalCache.Length;
        var bytes = new byte[length];
        bytes[0] = Magic0;
        bytes[1] = Magic1;
        bytes[2] = Version2;
        bytes[3] = IsRemoved ? RemovedKind : (byte)ClientKind;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), RestoredOnTicks);
        bytes[20] = (byte)Tokens.Count;
        var offset = Version2HeaderLength;
        foreach (var token in Tokens)
        {
            token.Write(bytes.AsSpan(offset, IssuedToken.Length));
            offset += IssuedToken.Length;
        }

        MsalCache.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    public static TokenCacheEntry? TryParse(byte[] bytes)
    {
        if (bytes.Length < Version1HeaderLength || bytes[0] != Magic0 || bytes[1] != Magic1)
        {
            return null;
        }

        if (bytes[2] == Version1)
        {
            return Enum.IsDefined((DelegatedClientKind)bytes[3])
                ? new TokenCacheEntry((DelegatedClientKind)bytes[3], bytes[Version1HeaderLength..])
                : null;
        }

        if (bytes[2] != Version2 || bytes.Length < Version2HeaderLength)
        {
            return null;
        }

        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4));
        var restoredOn = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (bytes[3] == RemovedKind)
        {
            return new TokenCacheEntry(version, restoredOn);
        }

        var count = bytes[20];
        if (!Enum.IsDefined((DelegatedClientKind)bytes[3]) || bytes.Length < Version2HeaderLength + (count * IssuedToken.Length))
        {
            return null;
        }

        var tokens = new IssuedToken[count];
        var offset = Version2HeaderLength;
        for (var i = 0; i < count; i++)
        {
            tokens[i] = IssuedToken.Read(bytes.AsSpan(offset, IssuedToken.Length));
            offset += IssuedToken.Length;
        }

        return new TokenCacheEntry((DelegatedClientKind)bytes[3], bytes[offset..], version, tokens, restoredOn);
    }
}
