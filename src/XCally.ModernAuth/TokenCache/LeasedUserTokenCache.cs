using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds the user token cache of a pooled MSAL client (<see cref="DelegatedProviderClients"/>) to the entry of the account it
/// is lent to: before MSAL reads, the memory copy of that entry (read by the acquirer under the entry's lease) replaces the
/// in-memory cache; after MSAL changed it, the result goes back to the memory copy, and the acquirer writes the store once,
/// with the record of the token it obtained.
/// </summary>
/// <remarks>
/// MSAL reads its in-memory cache after its after-access callback, outside its cache lock, so one client must never serve two
/// accounts' calls at the same time: the pool lends each client to one acquisition at a time and sets <see cref="Key"/> then.
/// </remarks>
internal sealed class LeasedUserTokenCache(TokenCacheEntryStore store, DelegatedClientKind clientKind)
{
    /// <summary>The entry of the account the client is lent to; null while it is in the pool.</summary>
    public string? Key { get; set; }

    public void Attach(ITokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.SetBeforeAccessAsync(BeforeAccessAsync);
        cache.SetAfterAccessAsync(AfterAccessAsync);
    }

    private Task BeforeAccessAsync(TokenCacheNotificationArgs args)
    {
        args.TokenCache.DeserializeMsalV3(store.PeekMemory(CurrentKey())?.MsalCache, shouldClearExistingCache: true);
        return Task.CompletedTask;
    }

    private async Task AfterAccessAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged)
        {
            return;
        }

        var key = CurrentKey();
        if (!args.HasTokens)
        {
            await store.RemoveAsync(key, args.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            store.WriteToMemory(key, new TokenCacheEntry(clientKind, args.TokenCache.SerializeMsalV3()));
        }
    }

    private string CurrentKey() => Key ?? throw new InvalidOperationException(
        "A pooled MSAL client was used while not lent to an account (DelegatedProviderClients.Rent).");
}
