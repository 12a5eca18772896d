using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The default <see cref="ISalesforceSessionProvider"/>: one <see cref="TokenSlot"/> per provider, looked up lock-free on every
/// call; a provider from the store with other settings (a configuration reload, a rotated secret) gets a new slot and the old
/// one stops renewing, while a new instance with the same settings keeps the session.
/// </summary>
internal sealed class SalesforceSessionProvider : ISalesforceSessionProvider, IDisposable
{
    private readonly ISalesforceProviderStore _store;
    private readonly SalesforceTokenSlots _slots;
    private readonly TokenMetrics _metrics;
    private readonly object _replaceGate = new();
    private volatile Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _disposed;

    public SalesforceSessionProvider(ISalesforceProviderStore store, SalesforceTokenSlots slots, TokenMetrics metrics)
    {
        _store = store;
        _slots = slots;
        _metrics = metrics;
    }

    public async ValueTask<SalesforceSession> GetSessionAsync(string providerName, CancellationToken cancellationToken = default) =>
        (await GetAsync(providerName, cancellationToken).ConfigureAwait(false)).Session;

    public ValueTask InvalidateAsync(SalesforceSession refused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (_entries.TryGetValue(refused.ProviderName, out var entry))
        {
            entry.Slot.Invalidate(refused.AccessToken.Token);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The session and the provider it was made for, which REST calls need both of.</summary>
    public async ValueTask<(SalesforceSession Session, SalesforceProvider Provider)> GetAsync(string providerName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var provider = await _store.FindAsync(providerName, cancellationToken).ConfigureAwait(false)
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"No Salesforce provider is named '{providerName}'.",
                $"Add an entry '{providerName}' with Service: Salesforce under XCallyModernAuth:CloudProviders, or call AddSalesforceProvider(\"{providerName}\", ...).")
            {
                CloudProviderName = providerName,
            };

        for (var attempt = 1; ; attempt++)
        {
            var entry = EntryFor(provider);
            if (entry.Slot.TryGetCached(out var cached))
            {
                _metrics.CacheHit(provider.Name);
                return (entry.SessionOf(cached), provider);
            }

            try
            {
                var token = await entry.Slot.AcquireAsync(cancellationToken).ConfigureAwait(false);
                return (entry.SessionOf(token), provider);
            }
            catch (TokenSlotClosedException) when (attempt < 3)
            {
                // Replaced by a newer provider between the lookup and the request: use the new slot.
            }
            catch (ModernAuthException exception)
            {
                // One failed sign-in may be shared by many callers: each gets its own copy.
                throw exception.ForCaller(accountAddress: null, retryAfter: null);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_replaceGate)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Slot.Dispose();
            }

            _entries = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        }
    }

    private Entry EntryFor(SalesforceProvider provider)
    {
        if (_entries.TryGetValue(provider.Name, out var current) && current.Provider.Equals(provider))
        {
            return current;
        }

        lock (_replaceGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(provider.Name, out current) && current.Provider.Equals(provider))
            {
                return current;
            }

            // A changed provider (a rotated secret) signs in anew; requests in flight on the old slot still complete.
            current?.Slot.Close();
            var (slot, acquirer) = _slots.Create(provider);
            var created = new Entry(provider, slot, acquirer);
            _entries = new Dictionary<string, Entry>(_entries, StringComparer.OrdinalIgnoreCase) { [provider.Name] = created };
            return created;
        }
    }

    private sealed class Entry(SalesforceProvider provider, TokenSlot slot, SalesforceTokenAcquirer acquirer)
    {
        public SalesforceProvider Provider { get; } = provider;

        public TokenSlot Slot { get; } = slot;

        public SalesforceSession SessionOf(AccessToken token) => new(Provider.Name, token, acquirer.InstanceUrl!);
    }
}
