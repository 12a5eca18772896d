using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds an MSAL user token cache to one account's entry in the <see cref="TokenCacheEntryStore"/>, like
/// Microsoft.Identity.Web's token cache providers: before MSAL reads, the entry replaces the in-memory cache; after MSAL
/// changed it, the cache is written back (or removed once it holds no tokens). One MSAL client serves one account, so the
/// entry's key is the account's and not MSAL's <c>SuggestedCacheKey</c>.
/// </summary>
internal sealed class AccountTokenCache(TokenCacheEntryStore store, string key, DelegatedClientKind clientKind)
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
        var entry = await store.ReadAsync(Key, args.CancellationToken).ConfigureAwait(false);
        args.TokenCache.DeserializeMsalV3(entry?.MsalCache, shouldClearExistingCache: true);
    }

    private async Task AfterAccessAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged)
        {
            return;
        }

        if (args.HasTokens)
        {
            await store.WriteAsync(Key, new TokenCacheEntry(clientKind, args.TokenCache.SerializeMsalV3()), args.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.RemoveAsync(Key, args.CancellationToken).ConfigureAwait(false);
        }
    }
}
