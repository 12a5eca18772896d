using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>App-only tokens (OAuth 2.0 client credentials) of one cloud provider from its MSAL confidential client.</summary>
internal sealed class ConfidentialClientTokenAcquirer(
    CloudProvider provider,
    IConfidentialClientApplication application,
    IReadOnlyList<string> scopes,
    TimeProvider timeProvider,
    TokenMetrics metrics,
    TimeSpan timeout) : ITokenAcquirer
{
    public string ProviderName => provider.Name;

    public Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken) =>
        AppOnlyTokenRequest.RunAsync(
            provider,
            replacing,
            (forceRefresh, bounded) => application.AcquireTokenForClient(scopes).WithForceRefresh(forceRefresh).ExecuteAsync(bounded),
            scopes,
            timeProvider,
            metrics,
            timeout,
            cancellationToken);
}
