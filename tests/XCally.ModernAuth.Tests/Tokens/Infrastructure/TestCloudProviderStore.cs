using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>
/// A store whose providers a test sets, replaces and removes (as an administrator or a configuration reload would), answering
/// synchronously and counting lookups. It signals each change unless made without a change signal.
/// </summary>
internal sealed class TestCloudProviderStore : ICloudProviderStore
{
    private readonly ConcurrentDictionary<string, CloudProvider> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly StoreChangeNotifier? _changes;
    private int _finds;

    public TestCloudProviderStore(params CloudProvider[] providers)
        : this(changeSignal: true, providers)
    {
    }

    public TestCloudProviderStore(bool changeSignal, params CloudProvider[] providers)
    {
        _changes = changeSignal ? new StoreChangeNotifier() : null;
        foreach (var provider in providers)
        {
            _providers[provider.Name] = provider;
        }
    }

    /// <summary>How many times <see cref="FindAsync"/> was called.</summary>
    public int Finds => Volatile.Read(ref _finds);

    /// <summary>Builds each provider anew on every lookup, as a store over a database does.</summary>
    public Func<CloudProvider, CloudProvider>? Rebuild { get; set; }

    public void Set(CloudProvider provider)
    {
        _providers[provider.Name] = provider;
        _changes?.NotifyChanged();
    }

    public void Remove(string name)
    {
        _providers.TryRemove(name, out _);
        _changes?.NotifyChanged();
    }

    public ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _finds);
        return new(_providers.TryGetValue(name, out var provider) ? Rebuild?.Invoke(provider) ?? provider : null);
    }

    public ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default) =>
        new(_providers.Values.Select(provider => Rebuild?.Invoke(provider) ?? provider).ToArray());

    public IChangeToken? GetChangeToken() => _changes?.GetChangeToken();
}
