using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The default <see cref="ITokenProvider"/>: app-only tokens from each cloud provider's MSAL confidential client, and delegated
/// tokens per account from MSAL's account cache, behind a lock-free cache with single flight and background refresh
/// (<see cref="TokenSlot"/>, one per provider, resource and, for delegated tokens, account).
/// </summary>
/// <remarks>
/// Providers are looked up in the <see cref="ICloudProviderStore"/> only when the provider is first used, after the store's
/// change signal fired (or, for a store without one, once per <see cref="TokenProviderOptions.StoreRecheckInterval"/>): each
/// such event starts a new store generation, and the fast path trusts only what was read in the current one. A provider read
/// again with equal settings (<see cref="CloudProvider.Equals(CloudProvider?)"/>) keeps its MSAL client and tokens; one with
/// changed settings gets new ones. On a change signal a sweep also drops the providers and accounts that are gone.
/// </remarks>
internal sealed partial class TokenProvider : ITokenProvider, IDelegatedAccountReset, IDisposable
{
    private const int ResolveAttempts = 3;

    // A store that stops signalling is simply not watched any more.
    private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);

    private readonly ICloudProviderStore _store;
    private readonly IEmailAccountStore? _accounts;
    private readonly ConfidentialClientApplicationFactory _applications;
    private readonly DelegatedClientFactory? _delegatedClients;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly ILogger<TokenProvider> _logger;
    private readonly TokenProviderOptions _options;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly object _replaceGate = new();
    private readonly StoreSweeper _sweeper;
    private readonly IDisposable? _providerChanges;
    private readonly IDisposable? _accountChanges;
    private readonly ITimer? _recheckTimer;
    private readonly TokenOutcomes? _outcomes;

    // One settings object for every slot (ten thousand accounts need no closure each); a slot's owner tells OnSlotIdle where it is.
    private readonly TokenSlotSettings _slotSettings;

    // One store lookup per provider name and generation, however many callers miss at once.
    private readonly ConcurrentDictionary<(string Name, int Generation), Task<ProviderTokens?>> _lookups = new();

    // Copy-on-write, keyed by the name as accounts spell it (ordinal: the fastest lookup): read lock-free on every call,
    // replaced under _replaceGate. Several spellings may share one entry.
    private volatile Dictionary<string, ProviderTokens> _providers = new(StringComparer.Ordinal);
    private volatile int _generation;
    private volatile bool _disposed;

    public TokenProvider(
        ICloudProviderStore store,
        ConfidentialClientApplicationFactory applications,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        ILogger<TokenProvider> logger,
        DelegatedClientFactory? delegatedClients = null,
        IEmailAccountStore? accounts = null,
        IOptions<TokenProviderOptions>? options = null,
        TokenOutcomes? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _accounts = accounts;
        _applications = applications;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _delegatedClients = delegatedClients;
        _outcomes = outcomes;
        _options = options?.Value ?? new TokenProviderOptions();
        _sweeper = new StoreSweeper(SweepAsync, exception => OnSweepFailed(exception));
        _slotSettings = new TokenSlotSettings(_shutdown.Token, _options.IdleRefreshLimit, OnSlotIdle);

        if (store.GetChangeToken() is not null)
        {
            _providerChanges = ChangeToken.OnChange(() => store.GetChangeToken() ?? NeverChanges, OnProvidersChanged);
        }
        else
        {
            // Without a signal, what was read is trusted for a bounded time only: a new generation makes the next call read again.
            _recheckTimer = timeProvider.CreateTimer(
                static state => ((TokenProvider)state!).NewGeneration(), this, _options.StoreRecheckInterval, _options.StoreRecheckInterval);
        }

        if (accounts?.GetChangeToken() is not null)
        {
            _accountChanges = ChangeToken.OnChange(() => accounts.GetChangeToken() ?? NeverChanges, _sweeper.Request);
        }
    }

    /// <inheritdoc />
    public ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, MailProtocol protocol, CancellationToken cancellationToken = default) =>
        GetAccessTokenAsync(account, TokenResource.ExchangeOnline, cancellationToken);

    /// <inheritdoc />
    public ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, TokenResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The hot path: the slot that last served this account object, still open and of a provider read in the current store
        // generation, and a usable token. No dictionary lookup, no store call, no lock, no allocation.
        var hint = resource switch
        {
            TokenResource.ExchangeOnline => account.ExchangeTokenSlotHint,
            TokenResource.MicrosoftGraph => account.GraphTokenSlotHint,
            _ => null,
        };
        if (hint is { } hinted
            && ReferenceEquals(hinted.Place.Issuer, this)
            && hinted.Place.Tokens.Generation == _generation
            && hinted.TryGetCached(out var hintedToken))
        {
            _metrics.CacheHit(hinted.Place.Tokens.Hits);
            return new ValueTask<AccessToken>(hintedToken);
        }

        // Then the same by lookup: a provider read in the current store generation and a usable token.
        if (_providers.TryGetValue(account.CloudProviderName, out var tokens)
            && tokens.Generation == _generation
            && tokens.TryGetSlot(account, resource, out var slot)
            && slot.TryGetCached(out var token))
        {
            Remember(account, resource, slot);
            _metrics.CacheHit(tokens.Hits);
            return new ValueTask<AccessToken>(token);
        }

        if (resource is not (TokenResource.ExchangeOnline or TokenResource.MicrosoftGraph))
        {
            throw new ArgumentOutOfRangeException(nameof(resource), resource, "Unknown token resource.");
        }

        return GetSlowAsync(account, resource, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default) =>
        Invalidate(account, TokenResource.ExchangeOnline, protocol.ToString(), refused);

    /// <inheritdoc />
    public ValueTask InvalidateAsync(EmailAccount account, TokenResource resource, AccessToken refused, CancellationToken cancellationToken = default) =>
        Invalidate(account, resource, resource.ToString(), refused);

    /// <inheritdoc />
    public void ResetDelegatedAccount(string cloudProviderName, string signInName)
    {
        foreach (var tokens in _providers.Values.Distinct())
        {
            if (string.Equals(tokens.Provider.Name, cloudProviderName, StringComparison.OrdinalIgnoreCase))
            {
                tokens.RemoveAccount(signInName);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Requests in flight are abandoned; their waiters get ObjectDisposedException.
        _shutdown.Cancel();
        _providerChanges?.Dispose();
        _accountChanges?.Dispose();
        _recheckTimer?.Dispose();
        lock (_replaceGate)
        {
            foreach (var tokens in _providers.Values.Distinct())
            {
                tokens.Close();
            }

            _providers = new Dictionary<string, ProviderTokens>(StringComparer.Ordinal);
        }

        _shutdown.Dispose();
    }

    private ValueTask Invalidate(EmailAccount account, TokenResource resource, string usedFor, AccessToken refused)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(refused);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var fingerprint = TokenFingerprint.Of(refused.Token);
        if (FindByAccount(account) is { } tokens && tokens.FindSlot(account, resource) is { } slot && slot.Invalidate(refused.Token))
        {
            LogTokenInvalidated(tokens.Provider.Name, fingerprint, account.Address, usedFor);
        }
        else
        {
            LogInvalidationIgnored(account.CloudProviderName, fingerprint, account.Address, usedFor);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask<AccessToken> GetSlowAsync(EmailAccount account, TokenResource resource, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            TokenSlot slot;
            try
            {
                var tokens = await ResolveAsync(account, cancellationToken).ConfigureAwait(false);
                slot = tokens.GetOrCreateSlot(account, resource);
            }
            catch (TokenSlotClosedException) when (attempt < ResolveAttempts)
            {
                continue;
            }
            catch (ModernAuthException exception)
            {
                _metrics.Failure(account.CloudProviderName, exception.Category);
                throw exception.ForCaller(account.Address, retryAfter: null);
            }

            Remember(account, resource, slot);
            if (slot.TryGetCached(out var cached))
            {
                _metrics.CacheHit(slot.Place.Tokens.Hits);
                return cached;
            }

            try
            {
                return await slot.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TokenSlotClosedException) when (attempt < ResolveAttempts)
            {
                // Closed between the lookup and the request (the provider changed or the slot went idle): look it up again.
            }
            catch (ModernAuthException exception)
            {
                // One failed request may be shared by many callers: each gets its own copy naming its account.
                throw exception.ForCaller(account.Address, retryAfter: null);
            }
        }
    }

    /// <summary>The provider's tokens, read from the store unless they were read in the current generation.</summary>
    private async ValueTask<ProviderTokens> ResolveAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        var generation = _generation;
        if (_providers.TryGetValue(account.CloudProviderName, out var current) && current.Generation == generation && !current.IsClosed)
        {
            return current;
        }

        var tokens = await LookUpAsync(account.CloudProviderName, generation).WaitAsync(cancellationToken).ConfigureAwait(false);
        return tokens ?? throw ProviderNotFound(account);
    }

    private Task<ProviderTokens?> LookUpAsync(string name, int generation)
    {
        var key = (name, generation);
        if (_lookups.TryGetValue(key, out var running))
        {
            return running;
        }

        var lookup = new TaskCompletionSource<ProviderTokens?>(TaskCreationOptions.RunContinuationsAsynchronously);
        running = _lookups.GetOrAdd(key, lookup.Task);
        if (ReferenceEquals(running, lookup.Task))
        {
            _ = RunLookupAsync(key, lookup);
        }

        return running;
    }

    private async Task RunLookupAsync((string Name, int Generation) key, TaskCompletionSource<ProviderTokens?> lookup)
    {
        try
        {
            var provider = await FindInStoreAsync(key.Name).ConfigureAwait(false);

            // The tokens are installed before the lookup leaves _lookups, so a caller arriving in between
            // finds one or the other and never starts a second lookup.
            ProviderTokens? tokens = null;
            if (provider is null)
            {
                Forget(key.Name);
            }
            else
            {
                tokens = GetOrReplace(key.Name, provider, key.Generation);
            }

            lookup.TrySetResult(tokens);
        }
        catch (Exception exception)
        {
            lookup.TrySetException(exception);
        }
        finally
        {
            _lookups.TryRemove(new KeyValuePair<(string, int), Task<ProviderTokens?>>(key, lookup.Task));
        }
    }

    private async Task<CloudProvider?> FindInStoreAsync(string name)
    {
        try
        {
            return await _store.FindAsync(name, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not ModernAuthException)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.Transient,
                $"Looking up cloud provider '{name}' in the store ({_store.GetType().Name}) failed with {exception.GetType().Name}.",
                "See the inner exception, and check the store's database or service; the next call looks the provider up again.",
                exception)
            {
                CloudProviderName = name,
            };
        }
    }

    private ProviderTokens GetOrReplace(string spelledName, CloudProvider provider, int generation)
    {
        lock (_replaceGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var providers = _providers;
            var current = providers.GetValueOrDefault(spelledName)
                ?? providers.Values.FirstOrDefault(tokens => string.Equals(tokens.Provider.Name, provider.Name, StringComparison.OrdinalIgnoreCase));
            if (current is { IsClosed: false } && current.Provider.Equals(provider))
            {
                current.MarkCurrent(generation);
                if (!providers.TryGetValue(spelledName, out var mapped) || !ReferenceEquals(mapped, current))
                {
                    _providers = new Dictionary<string, ProviderTokens>(providers, StringComparer.Ordinal) { [spelledName] = current };
                }

                return current;
            }

            var created = Create(provider, generation);
            var replaced = new Dictionary<string, ProviderTokens>(StringComparer.Ordinal);
            foreach (var (name, tokens) in providers)
            {
                if (!ReferenceEquals(tokens, current))
                {
                    replaced[name] = tokens;
                }
                else
                {
                    replaced[name] = created;
                }
            }

            replaced[spelledName] = created;
            _providers = replaced;
            if (current is null || current.IsClosed)
            {
                LogClientCreated(provider.Name, provider.Authority, provider.Credential.Description);
            }
            else
            {
                // Requests in flight on the old client still complete for their callers; only its refreshes stop.
                current.Close();
                LogClientReplaced(provider.Name, provider.Authority, provider.Credential.Description);
            }

            return created;
        }
    }

    private ProviderTokens Create(CloudProvider provider, int generation)
    {
        ProviderTokens tokens = null!;
        var hits = _metrics.HitsFor(provider.Name);
        var backoff = new ProviderBackoff(_timeProvider);
        if (provider.Flow == AuthFlow.Delegated)
        {
            var clients = _delegatedClients ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"Cloud provider '{provider.Name}' uses the Delegated flow, but the delegated token services are not registered.",
                "Register the SDK with services.AddXCallyModernAuth().")
            {
                CloudProviderName = provider.Name,
            };

            // Fail now on an authority the sign-in must not go to, rather than on each account's first call.
            ConfidentialClientApplicationFactory.CheckAuthority(provider);
            var providerClients = new DelegatedProviderClients(provider, clients);
            tokens = new ProviderTokens(provider, generation, (account, resource) => NewSlot(
                tokens,
                DelegatedUser.SignInName(account),
                resource,
                new DelegatedTokenAcquirer(provider, account, ResourceScopes.For(provider, resource), providerClients, _timeProvider, _metrics, _options.IdentityRequestTimeout)),
                hits,
                backoff);
            return tokens;
        }

        var acquirers = AppOnlyTokenAcquirers.For(provider, _applications, _timeProvider, _metrics, _options.IdentityRequestTimeout);
        tokens = new ProviderTokens(provider, generation, (account, resource) => NewSlot(tokens, account.Address, resource, acquirers(resource)), hits, backoff);
        return tokens;
    }

    private TokenSlot NewSlot(ProviderTokens tokens, string accountAddress, TokenResource resource, ITokenAcquirer acquirer) =>
        new(Observed(tokens.Provider, accountAddress, resource, acquirer), _timeProvider, _metrics, _logger, _slotSettings, new SlotPlace(this, tokens, accountAddress, resource), tokens.Backoff);

    // The health checks and the diagnosis read what the requests came to; app-only tokens are the provider's, not an account's.
    private ITokenAcquirer Observed(CloudProvider provider, string accountAddress, TokenResource resource, ITokenAcquirer acquirer) =>
        _outcomes is null
            ? acquirer
            : new ObservedTokenAcquirer(acquirer, _outcomes, provider.Flow == AuthFlow.Delegated ? accountAddress : null, resource, _timeProvider);

    private void OnSlotIdle(TokenSlot slot)
    {
        var (_, tokens, accountAddress, resource) = slot.Place;
        tokens.Remove(accountAddress, resource, slot);
        if (tokens.IsEmpty)
        {
            RemoveIfUnused(tokens);
        }
    }

    // A provider whose every slot went idle is dropped with its MSAL client; the next call reads it again.
    private void RemoveIfUnused(ProviderTokens tokens)
    {
        lock (_replaceGate)
        {
            if (!tokens.IsEmpty)
            {
                return;
            }

            tokens.Close();
            RemoveLocked(tokens);
        }
    }

    private void Forget(string providerName)
    {
        lock (_replaceGate)
        {
            foreach (var tokens in _providers.Values.Distinct().ToArray())
            {
                if (string.Equals(tokens.Provider.Name, providerName, StringComparison.OrdinalIgnoreCase))
                {
                    tokens.Close();
                    RemoveLocked(tokens);
                    LogProviderRemoved(tokens.Provider.Name);
                }
            }
        }
    }

    private void RemoveLocked(ProviderTokens tokens)
    {
        var remaining = new Dictionary<string, ProviderTokens>(StringComparer.Ordinal);
        foreach (var (name, candidate) in _providers)
        {
            if (!ReferenceEquals(candidate, tokens))
            {
                remaining[name] = candidate;
            }
        }

        _providers = remaining;
    }

    // Accounts may spell the provider's name in another case than the store does.
    private ProviderTokens? FindByAccount(EmailAccount account)
    {
        var providers = _providers;
        if (providers.TryGetValue(account.CloudProviderName, out var tokens))
        {
            return tokens;
        }

        foreach (var candidate in providers.Values)
        {
            if (string.Equals(candidate.Provider.Name, account.CloudProviderName, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    // Written only when it changes, so that hits do not write to the account object shared by every caller.
    private static void Remember(EmailAccount account, TokenResource resource, TokenSlot slot)
    {
        if (resource == TokenResource.ExchangeOnline)
        {
            if (!ReferenceEquals(account.ExchangeTokenSlotHint, slot))
            {
                account.ExchangeTokenSlotHint = slot;
            }
        }
        else if (!ReferenceEquals(account.GraphTokenSlotHint, slot))
        {
            account.GraphTokenSlotHint = slot;
        }
    }

    private void NewGeneration() => Interlocked.Increment(ref _generation);

    private void OnProvidersChanged()
    {
        NewGeneration();
        _sweeper.Request();
    }

    /// <summary>After a change signal: drops the providers that are gone or changed and the delegated accounts that are gone or moved.</summary>
    private async Task SweepAsync()
    {
        var providers = await _store.ListAsync(_shutdown.Token).ConfigureAwait(false);
        var accounts = _accounts is null ? null : await _accounts.ListAsync(_shutdown.Token).ConfigureAwait(false);

        var providersByName = new Dictionary<string, CloudProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            providersByName[provider.Name] = provider;
        }

        Dictionary<string, EmailAccount>? accountsByAddress = null;
        if (accounts is not null)
        {
            accountsByAddress = new Dictionary<string, EmailAccount>(StringComparer.OrdinalIgnoreCase);
            foreach (var account in accounts)
            {
                accountsByAddress[account.Address] = account;
            }
        }

        lock (_replaceGate)
        {
            foreach (var tokens in _providers.Values.Distinct().ToArray())
            {
                if (!providersByName.TryGetValue(tokens.Provider.Name, out var now) || !now.Equals(tokens.Provider))
                {
                    tokens.Close();
                    RemoveLocked(tokens);
                    LogProviderRemoved(tokens.Provider.Name);
                    continue;
                }

                if (accountsByAddress is null)
                {
                    continue;
                }

                foreach (var account in tokens.Accounts.ToArray())
                {
                    if (!accountsByAddress.TryGetValue(account.Address, out var stored) || !stored.Equals(account))
                    {
                        tokens.RemoveAccount(DelegatedUser.SignInName(account));
                        LogAccountRemoved(tokens.Provider.Name, account.Address);
                    }
                }
            }
        }
    }

    /// <summary>How many token slots the provider holds, over every provider (for tests of its memory bound).</summary>
    internal int CountSlots() => _providers.Values.Distinct().Sum(tokens => tokens.CountSlots());

    /// <summary>How many store sweeps have finished (for tests).</summary>
    internal int SweepsCompleted => _sweeper.Completed;

    private void OnSweepFailed(Exception exception)
    {
        _metrics.BackgroundFailure(ModernAuthTelemetry.NoProvider);
        try
        {
            LogSweepFailed(exception);
        }
        catch (Exception)
        {
            // The logger itself failed: counted above.
        }
    }

    private static ModernAuthException ProviderNotFound(EmailAccount account) =>
        new(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"Email account '{account.Address}' refers to cloud provider '{account.CloudProviderName}', which is not configured.",
            $"Add a cloud provider named '{account.CloudProviderName}' under CloudProviders, or set the account's CloudProvider to an existing one.")
        {
            CloudProviderName = account.CloudProviderName,
            AccountAddress = account.Address,
        };
}
