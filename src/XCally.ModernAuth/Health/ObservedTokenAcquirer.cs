namespace XCally.ModernAuth.Internal;

/// <summary>Records what an acquirer's requests came to in <see cref="TokenOutcomes"/>, and passes everything through unchanged.</summary>
internal sealed class ObservedTokenAcquirer(
    ITokenAcquirer inner,
    TokenOutcomes outcomes,
    string? accountAddress,
    TokenResource resource,
    TimeProvider timeProvider) : ITokenAcquirer
{
    public string ProviderName => inner.ProviderName;

    public async Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        try
        {
            var token = await inner.AcquireAsync(replacing, cancellationToken).ConfigureAwait(false);
            outcomes.Succeeded(ProviderName, accountAddress, resource, token, timeProvider.GetUtcNow());
            return token;
        }
        catch (ModernAuthException error)
        {
            outcomes.Failed(ProviderName, accountAddress, resource, error, timeProvider.GetUtcNow());
            throw;
        }
    }
}
