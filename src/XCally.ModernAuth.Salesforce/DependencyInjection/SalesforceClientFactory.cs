using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>The default <see cref="ISalesforceClientFactory"/>.</summary>
internal sealed class SalesforceClientFactory(SalesforceSessionProvider sessions, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILoggerFactory loggerFactory) : ISalesforceClientFactory
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SalesforceClient>();

    public ISalesforceClient CreateClient(string providerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        return new SalesforceClient(providerName, sessions, httpClientFactory, timeProvider, _logger);
    }
}
