using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Delegated tokens of one sign-in, obtained silently from MSAL's account cache: the cached access token, or a new one for the
/// refresh token. The sign-in is the account's own user's, or the agent's that serves shared mailboxes (<see cref="DelegatedUser"/>). The MSAL client is the kind that signed the account in (confidential for the authorization code flow,
/// public for device code), read from the account's cache entry.
/// </summary>
internal sealed class DelegatedTokenAcquirer : ITokenAcquirer
{
    private const int RotationLooks = 5;
    private static readonly TimeSpan RotationLookInterval = TimeSpan.FromMilliseconds(250);

    private readonly CloudProvider _provider;
    private readonly EmailAccount _account;
    private readonly DelegatedClientFactory _clients;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly string _key;
    private readonly IReadOnlyList<string> _requestedScopes;
    private readonly string[] _scopes;
    private readonly TimeSpan _timeout;
    private readonly object _gate = new();
    private IClientApplicationBase? _confidential;
    private IClientApplicationBase? _public;

    public DelegatedTokenAcquirer(
        CloudProvider provider,
        EmailAccount account,
        IReadOnlyList<string> scopes,
        DelegatedClientFactory clients,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        TimeSpan timeout)
    {
        _provider = provider;
        _account = account;
        _clients = clients;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _key = TokenCacheKeys.For(provider, DelegatedUser.SignInName(account));
        _requestedScopes = scopes;
        _scopes = DelegatedClientFactory.MsalScopes(scopes);
        _timeout = timeout;
    }

    public string ProviderName => _provider.Name;

    public async Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        var forceRefresh = replacing is not null;
        using var activity = AcquireTokenActivity.Start(_provider, forceRefresh);

        var started = _timeProvider.GetTimestamp();
        AuthenticationResult result;
        try
        {
            result = await IdentityCall.RunAsync(_provider, _timeout, bounded => AcquireSilentAsync(forceRefresh, bounded), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = exception is ModernAuthException { ErrorCode: DelegatedErrors.NoAccountErrorCode } known
                ? known
                : DelegatedErrors.FromSilent(exception, _provider, _account, _timeProvider);
            if (exception is MsalServiceException and not MsalThrottledServiceException)
            {
                _metrics.Request(_provider.Name, CategoryNames.Of(error.Category), _timeProvider.GetElapsedTime(started));
            }

            AcquireTokenActivity.Failed(activity, error);
            throw error;
        }

        if (result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache)
        {
            _metrics.Request(_provider.Name, ModernAuthTelemetry.SuccessOutcome, _timeProvider.GetElapsedTime(started));
        }

        var token = MsalResults.ToAccessToken(result, _timeProvider, _requestedScopes);
        AcquireTokenActivity.Succeeded(activity, token);
        return token;
    }

    private async Task<AuthenticationResult> AcquireSilentAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var entry = await _clients.Store.ReadAsync(_key, cancellationToken).ConfigureAwait(false)
            ?? throw DelegatedErrors.NotAuthorized(_provider, _account);
        try
        {
            return await SilentAsync(entry, forceRefresh, cancellationToken).ConfigureAwait(false);
        }
        catch (MsalUiRequiredException)
        {
            // Another instance sharing the cache may have redeemed the refresh token just before us and stored its successor:
            // then use that one, once. An entry that did not change means the grant itself is gone; a retry could not help.
            if (await WasRotatedSinceAsync(entry, cancellationToken).ConfigureAwait(false) is not { } newer)
            {
                throw;
            }

            return await SilentAsync(newer, forceRefresh, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AuthenticationResult> SilentAsync(TokenCacheEntry entry, bool forceRefresh, CancellationToken cancellationToken)
    {
        var application = Application(entry.ClientKind);
        var msalAccount = SelectAccount(await application.GetAccountsAsync().ConfigureAwait(false))
            ?? throw DelegatedErrors.NotAuthorized(_provider, _account);

        // MSAL judges its cached access token by the system clock; when the fast path refreshes, ask for a new one.
        return await application.AcquireTokenSilent(_scopes, msalAccount)
            .WithForceRefresh(forceRefresh)
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    // With a store other processes write too, the one that won the redemption may not have written its result yet: look a few
    // times over about a second (real time: it is the other process's request being waited for) before calling the grant gone.
    private async Task<TokenCacheEntry?> WasRotatedSinceAsync(TokenCacheEntry used, CancellationToken cancellationToken)
    {
        var looks = _clients.Store.IsShared ? RotationLooks : 1;
        for (var look = 1; ; look++)
        {
            var current = await _clients.Store.ReadAsync(_key, cancellationToken).ConfigureAwait(false);
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

    private IClientApplicationBase Application(DelegatedClientKind kind)
    {
        lock (_gate)
        {
            return kind == DelegatedClientKind.Public
                ? _public ??= _clients.CreatePublic(_provider, DelegatedUser.SignInName(_account))
                : _confidential ??= _clients.CreateConfidential(_provider, DelegatedUser.SignInName(_account));
        }
    }
}
