using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Delegated tokens of one account, obtained silently from MSAL's account cache: the cached access token, or a new one for the
/// refresh token. The MSAL client is the kind that signed the account in (confidential for the authorization code flow,
/// public for device code), read from the account's cache entry.
/// </summary>
internal sealed class DelegatedTokenAcquirer : ITokenAcquirer
{
    private readonly CloudProvider _provider;
    private readonly EmailAccount _account;
    private readonly DelegatedClientFactory _clients;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly string _key;
    private readonly string[] _scopes;
    private readonly object _gate = new();
    private IClientApplicationBase? _confidential;
    private IClientApplicationBase? _public;

    public DelegatedTokenAcquirer(CloudProvider provider, EmailAccount account, DelegatedClientFactory clients, TimeProvider timeProvider, TokenMetrics metrics)
    {
        _provider = provider;
        _account = account;
        _clients = clients;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _key = TokenCacheKeys.For(provider, account.Address);
        _scopes = DelegatedClientFactory.MsalScopes(provider);
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
            var entry = await _clients.Store.ReadAsync(_key, cancellationToken).ConfigureAwait(false)
                ?? throw DelegatedErrors.NotAuthorized(_provider, _account.Address);
            var application = Application(entry.ClientKind);
            var msalAccount = SelectAccount(await application.GetAccountsAsync().ConfigureAwait(false))
                ?? throw DelegatedErrors.NotAuthorized(_provider, _account.Address);

            // MSAL judges its cached access token by the system clock; when the fast path refreshes, ask for a new one.
            result = await application.AcquireTokenSilent(_scopes, msalAccount)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = exception is ModernAuthException { ErrorCode: DelegatedErrors.NoAccountErrorCode } known
                ? known
                : DelegatedErrors.FromSilent(exception, _provider, _account.Address, _timeProvider);
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

        var token = MsalResults.ToAccessToken(result, _timeProvider, _provider.Scopes);
        AcquireTokenActivity.Succeeded(activity, token);
        return token;
    }

    private IAccount? SelectAccount(IEnumerable<IAccount> accounts)
    {
        // Only the mailbox's own user: the authorization refuses anyone else, and this holds even if another user got in.
        foreach (var candidate in accounts)
        {
            if (DelegatedUser.Matches(candidate.Username, _account.UserName, _account.Address))
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
                ? _public ??= _clients.CreatePublic(_provider, _account.Address)
                : _confidential ??= _clients.CreateConfidential(_provider, _account.Address);
        }
    }
}
