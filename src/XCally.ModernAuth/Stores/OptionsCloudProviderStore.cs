using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Internal;

/// <summary>The default <see cref="ICloudProviderStore"/>: the providers of the validated configuration, following reloads.</summary>
/// <remarks>Lookups read an immutable snapshot: no lock, no allocation, always completed synchronously.</remarks>
internal sealed class OptionsCloudProviderStore(ConfiguredModel model) : ICloudProviderStore
{
    public ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(model.Current.Providers.GetValueOrDefault(name));
    }

    public ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default) =>
        new(model.Current.ProviderList);

    public IChangeToken GetChangeToken() => model.Changes.GetChangeToken();
}
