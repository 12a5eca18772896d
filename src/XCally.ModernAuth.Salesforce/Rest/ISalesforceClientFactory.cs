namespace XCally.ModernAuth.Salesforce;

/// <summary>Gives the <see cref="ISalesforceClient"/> of a Salesforce provider.</summary>
public interface ISalesforceClientFactory
{
    /// <summary>The client of a provider. Cheap: clients share the provider's session.</summary>
    /// <param name="providerName">The Salesforce provider's name.</param>
    /// <returns>The client; the provider is looked up on each call, so a reload is followed.</returns>
    ISalesforceClient CreateClient(string providerName);
}
