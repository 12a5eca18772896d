using System.Collections.Concurrent;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The MSAL clients that refresh the delegated tokens of every account of one cloud provider (one set of settings), pooled:
/// each acquisition rents a client of the kind that signed its account in (confidential for the authorization code flow,
/// public for device code), bound to that account's cache entry for as long as it holds it, and returns it when MSAL is done.
/// So ten thousand accounts cost as many MSAL clients per provider as refreshes run at once, not one or two per account.
/// </summary>
/// <remarks>
/// A client is lent to one acquisition at a time because MSAL reads its in-memory cache outside its own cache lock
/// (<see cref="LeasedUserTokenCache"/>). It returns to the pool only once the MSAL call has completed, also after a timeout
/// (the caller's wait ends earlier; the client comes back when MSAL gives up), and the pool keeps at most
/// <see cref="MaxIdle"/> idle clients.
/// </remarks>
internal sealed class DelegatedProviderClients(CloudProvider provider, DelegatedClientFactory factory)
{
    /// <summary>The most idle clients of one kind kept for the next acquisitions.</summary>
    public const int MaxIdle = 2;

    private readonly ConcurrentBag<PooledClient> _confidential = [];
    private readonly ConcurrentBag<PooledClient> _public = [];

    // Keyed by the list itself: a provider's scope lists are the same objects for every account (ResourceScopes.For).
    private readonly ConcurrentDictionary<IReadOnlyList<string>, string[]> _msalScopes = new(ReferenceEqualityComparer.Instance);

    public TokenCacheEntryStore Store => factory.Store;

    /// <summary>
    /// The scopes as MSAL takes them (<see cref="DelegatedClientFactory.MsalScopes(IEnumerable{string})"/>), one array per list of
    /// requested scopes for all the provider's accounts.
    /// </summary>
    public string[] MsalScopes(IReadOnlyList<string> requested) =>
        _msalScopes.GetOrAdd(requested, static scopes => DelegatedClientFactory.MsalScopes(scopes));

    /// <summary>Lends a client of <paramref name="kind"/> bound to the cache entry <paramref name="key"/>; dispose it when MSAL is done.</summary>
    public Rented Rent(DelegatedClientKind kind, string key)
    {
        var pool = kind == DelegatedClientKind.Public ? _public : _confidential;
        if (!pool.TryTake(out var client))
        {
            client = Build(kind);
        }

        client.Cache.Key = key;
        return new Rented(this, pool, client);
    }

    private PooledClient Build(DelegatedClientKind kind)
    {
        var cache = new LeasedUserTokenCache(factory.Store, kind);
        IClientApplicationBase application = kind == DelegatedClientKind.Public
            ? factory.BuildPublic(provider)
            : factory.BuildConfidential(provider);
        cache.Attach(application.UserTokenCache);
        return new PooledClient(application, cache);
    }

    private void Return(ConcurrentBag<PooledClient> pool, PooledClient client)
    {
        client.Cache.Key = null;
        if (pool.Count < MaxIdle)
        {
            pool.Add(client);
        }
    }

    internal sealed record PooledClient(IClientApplicationBase Application, LeasedUserTokenCache Cache);

    /// <summary>A client lent to one acquisition.</summary>
    public readonly struct Rented : IDisposable
    {
        private readonly DelegatedProviderClients _owner;
        private readonly ConcurrentBag<PooledClient> _pool;
        private readonly PooledClient _client;

        internal Rented(DelegatedProviderClients owner, ConcurrentBag<PooledClient> pool, PooledClient client)
        {
            _owner = owner;
            _pool = pool;
            _client = client;
        }

        public IClientApplicationBase Application => _client.Application;

        public void Dispose() => _owner.Return(_pool, _client);
    }
}
