namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// Where the Salesforce package finds its providers. The default reads the validated <c>Service: Salesforce</c> entries of
/// <c>XCallyModernAuth:CloudProviders</c> and the providers added in code, and follows configuration reloads; a host that keeps
/// providers in its own database registers its own implementation.
/// </summary>
public interface ISalesforceProviderStore
{
    /// <summary>Finds a provider by name (case-insensitive).</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The provider, or <see langword="null"/> when there is none of that name.</returns>
    ValueTask<SalesforceProvider?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists every provider.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The providers.</returns>
    ValueTask<IReadOnlyList<SalesforceProvider>> ListAsync(CancellationToken cancellationToken = default);
}
