using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth;

/// <summary>
/// Where the SDK finds cloud providers. The default reads the validated <see cref="ModernAuthOptions"/> and follows configuration
/// reloads; a host that keeps providers in its own database registers its own implementation.
/// </summary>
/// <remarks>
/// The store is a singleton called from many threads: a store over a database opens a unit of work per call (EF Core:
/// <c>IDbContextFactory</c>). It may build a new <see cref="CloudProvider"/> on every lookup: the SDK compares providers by
/// their settings (<see cref="CloudProvider.Equals(CloudProvider?)"/>), so an unchanged provider keeps its MSAL client and
/// cached token. With a change signal (<see cref="GetChangeToken"/>) the SDK does not call the store on a warm path at all.
/// </remarks>
public interface ICloudProviderStore
{
    /// <summary>Finds a provider by name (case-insensitive).</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The provider, or <see langword="null"/> when there is none of that name.</returns>
    ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists every provider.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The providers.</returns>
    ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A change token that fires when providers may have been added, changed or removed, so that the SDK does not have to look
    /// them up on every call. <see cref="StoreChangeNotifier"/> is a ready-made one.
    /// </summary>
    /// <returns>
    /// The token, or <see langword="null"/> (the default) when the store cannot tell: the SDK then looks each provider up again
    /// at most every <see cref="TokenProviderOptions.StoreRecheckInterval"/>.
    /// </returns>
    IChangeToken? GetChangeToken() => null;
}
