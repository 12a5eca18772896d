using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The default <see cref="ITokenProvider"/>: app-only tokens from each cloud provider's MSAL confidential client, and delegated
/// tokens per account from MSAL's account cache, behind a lock-free cache with single flight and background refresh
/// (<see cref="TokenSlot"/>, one per app-only provider or per delegated account). Providers are looked up in the
/// <see cref="ICloudProviderStore"/> on every call; a new provider instance (a configuration reload) gets a new MSAL client.
/// </summary>
internal sealed partial class TokenProvider : ITokenProvider, IDelegatedAccountReset, IDisposable
{
    private readonly ICloudProviderStore _store;
    private readonly ConfidentialClientApplicationFactory _applications;
    private readonly DelegatedClientFactory? _delegatedClients;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly ILogger<TokenProvider> _logger;
    private readonly object _replaceGate = new();

    // Copy-on-write, keyed by the store's own spelling of the name (ordinal, the fastest lookup): read lock-free on every
    // call, replaced under _replaceGate when a provider is first used or its configuration changes.
    private volatile Dictionary<string, ProviderTokens> _providers = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    public TokenProvider(
        ICloudProviderStore store,
        ConfidentialClientApplicationFactory applications,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        ILogger<TokenProvider> logger,
        DelegatedClientFactory? delegatedClients = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _applications = applications;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _delegatedClients = delegatedClients;
    }

    /// <inheritdoc />
    public ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, MailProtocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var lookup = _store.FindAsync(account.CloudProviderName, cancellationToken);
        if (!lookup.IsCompletedSuccessfully)
        {
            return GetAfterLookupAsync(lookup, account, cancellationToken);
        }

        // The hot path: a store that answers synchronously, the same provider instance as last time, a fresh token.
        var provider = lookup.Result;
        if (provider is not null
            && _providers.TryGetValue(provider.Name, out var tokens)
            && ReferenceEquals(tokens.Provider, provider)
            && tokens.SlotFor(account).TryGetCached(out var token))
        {
            _metrics.CacheHit(provider.Name);
            return new ValueTask<AccessToken>(token);
        }

        return GetSlowAsync(provider, account, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(refused);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var fingerprint = TokenFingerprint.Of(refused.Token);
        if (FindByAccount(account) is { } tokens && tokens.FindSlot(account.Address) is { } slot && slot.Invalidate(refused.Token))
        {
            LogTokenInvalidated(tokens.Provider.Name, fingerprint, account.Address, protocol);
        }
        else
        {
            LogInvalidationIgnored(account.CloudProviderName, fingerprint, account.Address, protocol);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        lock (_replaceGate)
        {
            foreach (var tokens in _providers.Values)
            {
                tokens.Dispose();
            }

            _providers = new Dictionary<string, ProviderTokens>(StringComparer.Ordinal);
        }
    }

    private async ValueTask<AccessToken> GetAfterLookupAsync(ValueTask<CloudProvider?> lookup, EmailAccount account, CancellationToken cancellationToken)
    {
        var provider = await lookup.ConfigureAwait(false);
        return await GetSlowAsync(provider, account, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<AccessToken> GetSlowAsync(CloudProvider? provider, EmailAccount account, CancellationToken cancellationToken)
    {
        ProviderTokens tokens;
        try
        {
            if (provider is null)
            {
                throw ProviderNotFound(account);
            }

            // A caller that read the provider just before a reload must not bring back the old configuration: ask again.
            if (_providers.TryGetValue(provider.Name, out var existing) && !ReferenceEquals(existing.Provider, provider))
            {
                provider = await _store.FindAsync(provider.Name, cancellationToken).ConfigureAwait(false) ?? throw ProviderNotFound(account);
            }

            tokens = GetOrReplace(provider);
        }
        catch (ModernAuthException exception)
        {
            _metrics.Failure(account.CloudProviderName, exception.Category);
            throw exception.ForCaller(account.Address, retryAfter: null);
        }

        var slot = tokens.SlotFor(account);
        if (slot.TryGetCached(out var cached))
        {
            _metrics.CacheHit(provider.Name);
            return cached;
        }

        try
        {
            return await slot.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModernAuthException exception)
        {
            // One failed request may be shared by many callers: each gets its own copy naming its account.
            throw exception.ForCaller(account.Address, retryAfter: null);
        }
    }

    private ProviderTokens GetOrReplace(CloudProvider provider)
    {
        if (_providers.TryGetValue(provider.Name, out var current) && ReferenceEquals(current.Provider, provider))
        {
            return current;
        }

        lock (_replaceGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_providers.TryGetValue(provider.Name, out current) && ReferenceEquals(current.Provider, provider))
            {
                return current;
            }

            var created = Create(provider);
            _providers = new Dictionary<string, ProviderTokens>(_providers, StringComparer.Ordinal) { [provider.Name] = created };
            if (current is null)
            {
                LogClientCreated(provider.Name, provider.Authority, provider.Credential.Description);
            }
            else
            {
                // Requests in flight on the old client still complete for their callers; only its refreshes stop.
                current.Retire();
                LogClientReplaced(provider.Name, provider.Authority, provider.Credential.Description);
            }

            return created;
        }
    }

    // Accounts may spell the provider's name in another case than the store does.
    private ProviderTokens? FindByAccount(EmailAccount account)
    {
        var providers = _providers;
        if (providers.TryGetValue(account.CloudProviderName, out var tokens))
        {
            return tokens;
        }

        foreach (var (name, candidate) in providers)
        {
            if (string.Equals(name, account.CloudProviderName, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void ResetDelegatedAccount(string cloudProviderName, string accountAddress)
    {
        foreach (var (name, tokens) in _providers)
        {
            if (string.Equals(name, cloudProviderName, StringComparison.OrdinalIgnoreCase))
            {
                tokens.Reset(accountAddress);
            }
        }
    }

    private ProviderTokens Create(CloudProvider provider)
    {
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
            return new ProviderTokens(provider, account => new TokenSlot(
                new DelegatedTokenAcquirer(provider, account, clients, _timeProvider, _metrics), _timeProvider, _metrics, _logger));
        }

        var application = _applications.Create(provider);
        var acquirer = new ConfidentialClientTokenAcquirer(provider, application, _timeProvider, _metrics);
        return new ProviderTokens(provider, new TokenSlot(acquirer, _timeProvider, _metrics, _logger));
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
