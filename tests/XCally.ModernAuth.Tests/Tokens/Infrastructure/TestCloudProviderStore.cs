using System.Collections.Concurrent;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>A store whose providers a test sets and replaces (as a configuration reload would), answering synchronously.</summary>
internal sealed class TestCloudProviderStore : ICloudProviderStore
{
    private readonly ConcurrentDictionary<string, CloudProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public TestCloudProviderStore(params CloudProvider[] providers)
    {
        foreach (var provider in providers)
        {
            Set(provider);
        }
    }

    public void Set(CloudProvider provider) => _providers[provider.Name] = provider;

    public ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        new(_providers.TryGetValue(name, out var provider) ? provider : null);

    public ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default) =>
        new(_providers.Values.ToArray());
}
