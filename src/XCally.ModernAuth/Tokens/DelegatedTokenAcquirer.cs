using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Delegated tokens of one sign-in, obtained silently from MSAL's account cache: the cached access token, or a new one for the
/// refresh token. The sign-in is the account's own user's, or the agent's that serves shared mailboxes (<see cref="DelegatedUser"/>). The MSAL client is the kind that signed the account in (confidential for the authorization code flow,
/// public for device code), read from the account's cache entry.
/// </summary>
/// <remarks>
/// <para>
/// Every acquisition runs under the entry's lease (<see cref="TokenCacheEntryStore.EnterAsync"/>): within the process always,
/// and across instances when an <see cref="ITokenRefreshLock"/> is registered. Under it the entry is read again from the shared
/// store; if another instance has stored a newer access token than the one being replaced, that one is used and the refresh
/// token is not redeemed. Such a token is refreshed later in its life than the instance that obtained it refreshes its own, so
/// that instance stays the one that redeems and the others keep finding its result.
/// </para>
/// <para>
/// While the instances cannot be coordinated (the store or its lock is out of reach, or an instance wrote the entry back into a
/// store that had lost it a moment ago), a refresh is put off for as long as the token has a few minutes left, rather than
/// redeem a refresh token another instance may already have rotated: in steady state tokens are refreshed with half or more
/// of their life left, so an outage of minutes costs no redemption at all.
/// </para>
/// </remarks>
internal sealed class DelegatedTokenAcquirer : ITokenAcquirer
{
    private const int RotationLooks = 5;

    // Where in its life a token taken from another instance is refreshed; the instance that obtained it refreshes at about half.
    private const double FollowerRefreshPoint = 0.7;

    private static readonly TimeSpan RotationLookInterval = TimeSpan.FromMilliseconds(250);

    // An instance puts a refresh off while the others cannot be asked only as long as its token has this much life left.
    private static readonly TimeSpan DeferWhileLeft = TimeSpan.FromMinutes(5);

    private readonly CloudProvider _provider;
    private readonly EmailAccount _account;
    private readonly DelegatedProviderClients _clients;
    private readonly TokenCacheEntryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly uint _scopeKey;
    private readonly IReadOnlyList<string> _requestedScopes;
    private readonly string[] _scopes;
    private readonly TimeSpan _timeout;

    public DelegatedTokenAcquirer(
        CloudProvider provider,
        EmailAccount account,
        IReadOnlyList<string> scopes,
        DelegatedProviderClients clients,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        TimeSpan timeout)
    {
        _provider = provider;
        _account = account;
        _clients = clients;
        _store = clients.Store;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _requestedScopes = scopes;
        _scopes = clients.MsalScopes(scopes);
        _scopeKey = IssuedToken.ScopeKeyOf(_scopes);
        _timeout = timeout;
    }

    public string ProviderName => _provider.Name;

    public async Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        using var activity = AcquireTokenActivity.Start(_provider, forceRefresh: replacing is not null);

        var started = _timeProvider.GetTimestamp();
        Acquired acquired;
        try
        {
            // The entry's key is computed for each acquisition rather than kept: ten thousand accounts would hold it a second time
            // (the store holds it already), and it costs a hash twice an hour.
            acquired = await AcquireUnderLeaseAsync(TokenCacheKeys.For(_provider, DelegatedUser.SignInName(_account)), replacing, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = DelegatedErrors.IsOwn(exception)
                ? (ModernAuthException)exception
                : DelegatedErrors.FromSilent(exception, _provider, _account, _timeProvider);
            if (exception is MsalServiceException and not MsalThrottledServiceException)
            {
                _metrics.Request(_provider.Name, CategoryNames.Of(error.Category), _timeProvider.GetElapsedTime(started));
            }

            AcquireTokenActivity.Failed(activity, error);
            throw error;
        }

        if (acquired.Redeemed)
        {
            _metrics.Request(_provider.Name, ModernAuthTelemetry.SuccessOutcome, _timeProvider.GetElapsedTime(started));
        }

        AcquireTokenActivity.Succeeded(activity, acquired.Token);
        return acquired.Token;
    }

    private async Task<Acquired> AcquireUnderLeaseAsync(string key, AccessToken? replacing, CancellationToken cancellationToken)
    {
        var lease = await _store.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            var read = await _store.ReadUnderLeaseAsync(key, cancellationToken).ConfigureAwait(false);
            var entry = read.Entry ?? throw (read.Status == SharedReadStatus.Unavailable
                ? DelegatedErrors.CacheUnavailable(_provider, _account.Address, _store.Describe())
                : DelegatedErrors.NotAuthorized(_provider, _account));

            var now = _timeProvider.GetUtcNow();
            var latest = entry.FindToken(_scopeKey);
            if (latest is not null && IsWorthTaking(latest, replacing, now)
                && await TryTakeAsync(key, entry, latest, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                return taken;
            }

            if (replacing is not null && replacing.ExpiresOn - now > DeferWhileLeft
                && (lease.IsUncoordinated || read.Status != SharedReadStatus.Current))
            {
                throw DelegatedErrors.RefreshDeferred(_provider, _account.Address, _store.Describe());
            }

            // MSAL judges its cached access token by the system clock; when the fast path refreshes, or the record says the
            // cached token has run out on the SDK's clock, ask for a new one.
            var forceRefresh = replacing is not null || (latest is not null && !HasLifeLeft(latest, now));

            var result = await IdentityCall.RunAsync(
                _provider,
                _timeout,
                bounded => SilentWithRotationCheckAsync(key, entry, forceRefresh, lease, bounded),
                cancellationToken).ConfigureAwait(false);
            return await KeepAsync(key, result, cancellationToken).ConfigureAwait(false);
        }
    }

    // The record names a token another instance (or this one, before a restart) obtained: take it from MSAL's cache without a
    // request. Null when MSAL's cache does not hold that token after all.
    private async Task<Acquired?> TryTakeAsync(string key, TokenCacheEntry entry, IssuedToken latest, CancellationToken cancellationToken)
    {
        var result = await IdentityCall.RunAsync(
            _provider,
            _timeout,
            bounded => SilentAsync(key, entry, forceRefresh: false, bounded),
            cancellationToken).ConfigureAwait(false);
        if (result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache)
        {
            // MSAL found its cached token too old and redeemed the refresh token itself, under the lease: a new token.
            return await KeepAsync(key, result, cancellationToken).ConfigureAwait(false);
        }

        if (!latest.IsFor(result.AccessToken))
        {
            return null;
        }

        var token = MsalResults.ToAccessToken(result, _timeProvider, _requestedScopes);
        var refreshOn = latest.ObtainedOn + (latest.Lifetime * FollowerRefreshPoint);
        return new Acquired(new AccessToken(token.Token, latest.ExpiresOn, token.Scopes, TokenSource.Cache, refreshOn), Redeemed: false);
    }

    private async Task<Acquired> KeepAsync(string key, AuthenticationResult result, CancellationToken cancellationToken)
    {
        var token = MsalResults.ToAccessToken(result, _timeProvider, _requestedScopes);
        var redeemed = result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache;
        if (redeemed)
        {
            // One write of the entry MSAL updated, with the record of this token; a store that refuses it gets it again later.
            await _store.RecordTokenAsync(key, IssuedToken.Of(_scopeKey, token, _timeProvider.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        }

        return new Acquired(token, redeemed);
    }

    // A recorded token is taken instead of redeeming when it has life left and is newer than the one being replaced.
    private static bool IsWorthTaking(IssuedToken latest, AccessToken? replacing, DateTimeOffset now) =>
        latest.ExpiresOn - now > 2 * TokenRefreshPolicy.Margin(latest.Lifetime)
        && (replacing is null || (!latest.IsFor(replacing.Token) && latest.ExpiresOn > replacing.ExpiresOn));

    private static bool HasLifeLeft(IssuedToken latest, DateTimeOffset now) => latest.ExpiresOn - now > TokenRefreshPolicy.Margin(latest.Lifetime);

    private async Task<AuthenticationResult> SilentWithRotationCheckAsync(string key, TokenCacheEntry entry, bool forceRefresh, CacheLease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await SilentAsync(key, entry, forceRefresh, cancellationToken).ConfigureAwait(false);
        }
        catch (MsalUiRequiredException) when (lease.Kind != CacheLeaseKind.Shared)
        {
            // Without the shared lock, another process sharing the store may have redeemed the refresh token just before us and
            // stored its successor: then use that one, once. An entry that did not change means the grant itself is gone.
            if (await WasRotatedSinceAsync(key, entry, cancellationToken).ConfigureAwait(false) is not { } newer)
            {
                throw;
            }

            return await SilentAsync(key, newer, forceRefresh, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AuthenticationResult> SilentAsync(string key, TokenCacheEntry entry, bool forceRefresh, CancellationToken cancellationToken)
    {
        // A client of the provider's pool, bound to this account's entry until MSAL is done with it.
        using var client = _clients.Rent(entry.ClientKind, key);
        var msalAccount = SelectAccount(await client.Application.GetAccountsAsync().ConfigureAwait(false))
            ?? throw DelegatedErrors.NotAuthorized(_provider, _account);

        return await client.Application.AcquireTokenSilent(_scopes, msalAccount)
            .WithForceRefresh(forceRefresh)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    // The process that won the redemption may not have written its result yet: look a few times over about a second (real
    // time: it is the other process's request being waited for) before calling the grant gone.
    private async Task<TokenCacheEntry?> WasRotatedSinceAsync(string key, TokenCacheEntry used, CancellationToken cancellationToken)
    {
        var looks = _store.IsShared ? RotationLooks : 1;
        for (var look = 1; ; look++)
        {
            var current = (await _store.ReadUnderLeaseAsync(key, cancellationToken).ConfigureAwait(false)).Entry;
            if (current is not null && !current.MsalCache.AsSpan().SequenceEqual(used.MsalCache))
            {
                return current;
            }

            if (current is null || look >= looks)
            {
                return null;
            }

            await Task.Delay(RotationLookInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private IAccount? SelectAccount(IEnumerable<IAccount> accounts)
    {
        // Only the user whose sign-in serves the account: the authorization refuses anyone else, and this holds even if another user got in.
        foreach (var candidate in accounts)
        {
            if (DelegatedUser.Matches(candidate.Username, _account))
            {
                return candidate;
            }
        }

        return null;
    }

    private readonly record struct Acquired(AccessToken Token, bool Redeemed);
}
