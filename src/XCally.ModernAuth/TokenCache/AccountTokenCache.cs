using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds an MSAL token cache to one entry in the <see cref="TokenCacheEntryStore"/>, like Microsoft.Identity.Web's token cache
/// providers: before MSAL reads, the entry replaces the in-memory cache; after MSAL changed it, the cache is written back (or
/// removed once it holds no tokens). One MSAL client serves one account (or one app registration's app-only tokens), so the
/// entry's key is the SDK's and not MSAL's <c>SuggestedCacheKey</c>.
/// </summary>
/// <remarks>
/// Used by sign-ins and app-only tokens: it reads the store and writes through to it. Refreshes of delegated tokens run under
/// the entry's lease on the provider's shared client instead (<see cref="LeasedUserTokenCache"/>).
/// </remarks>
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

        if (!args.HasTokens)
        {
            await store.RemoveAsync(Key, args.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.WriteAsync(Key, new TokenCacheEntry(clientKind, args.TokenCache.SerializeMsalV3()), args.CancellationToken).ConfigureAwait(false);
        }
    }
}
