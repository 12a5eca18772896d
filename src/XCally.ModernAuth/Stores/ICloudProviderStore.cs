namespace XCally.ModernAuth;

/// <summary>
/// Where the SDK finds cloud providers. The default reads the validated <see cref="ModernAuthOptions"/> and follows configuration
/// reloads; a host that keeps providers in its own database registers its own implementation.
/// </summary>
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
}
