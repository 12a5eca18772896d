using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds an MSAL token cache to one entry in the <see cref="TokenCacheEntryStore"/>, like Microsoft.Identity.Web's token cache
/// providers: before MSAL reads, the entry replaces the in-memory cache; after MSAL changed it, the cache is written back (or
/// removed once it holds no tokens). One MSAL client serves one account (or one app registration's app-only tokens), so the
/// entry's key is the SDK's and not MSAL's <c>SuggestedCacheKey</c>.
/// </summary>
/// <remarks>
/// A sign-in (<see cref="AccountTokenCacheMode.ReadThrough"/>) reads the store and writes through to it. A refresh
/// (<see cref="AccountTokenCacheMode.UnderLease"/>) runs under the entry's lease, after the acquirer read the store: MSAL
/// then works on the memory copy, and the acquirer writes the result once, with the record of the token it obtained.
/// </remarks>
internal sealed class AccountTokenCache(TokenCacheEntryStore store, string key, DelegatedClientKind clientKind, AccountTokenCacheMode mode = AccountTokenCacheMode.ReadThrough)
{
    public string Key { get; } = key;

    public void Attach(ITokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.SetBeforeAccessAsync(BeforeAccessAsync);
        cache.SetAfterAccessAsync(AfterAccessAsync);
    }

    private async Task BeforeAccessAsync(TokenCacheNotificationArgs args)
    {
        var entry = mode == AccountTokenCacheMode.UnderLease
            ? store.PeekMemory(Key)
            : await store.ReadAsync(Key, args.CancellationToken).ConfigureAwait(false);
        args.TokenCache.DeserializeMsalV3(entry?.MsalCache, shouldClearExistingCache: true);
    }

    private async Task AfterAccessAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged)
        {
            return;
        }

        if (!args.HasTokens)
        {
            await store.RemoveAsync(Key, args.CancellationToken).ConfigureAwait(false);
        }
        else if (mode == AccountTokenCacheMode.UnderLease)
        {
            store.WriteToMemory(Key, new TokenCacheEntry(clientKind, args.TokenCache.SerializeMsalV3()));
        }
        else
        {
            await store.WriteAsync(Key, new TokenCacheEntry(clientKind, args.TokenCache.SerializeMsalV3()), args.CancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>How an <see cref="AccountTokenCache"/> reaches the store.</summary>
internal enum AccountTokenCacheMode
{
    /// <summary>Reads the store before and writes through to it after each MSAL access (sign-ins).</summary>
    ReadThrough,

    /// <summary>Uses the memory copy the caller read under the entry's lease; the caller writes the store (refreshes).</summary>
    UnderLease,
}
