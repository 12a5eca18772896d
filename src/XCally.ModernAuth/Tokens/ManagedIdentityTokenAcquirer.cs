using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// App-only tokens of a cloud provider whose credential is the host's managed identity (<see cref="ManagedIdentityCredential"/>),
/// from MSAL's managed identity client: the platform's endpoint (App Service's <c>IDENTITY_ENDPOINT</c>, IMDS on a VM, ...) is
/// asked for a token for the resource, with no secret and no authority.
/// </summary>
internal sealed class ManagedIdentityTokenAcquirer(
    CloudProvider provider,
    IManagedIdentityApplication application,
    IReadOnlyList<string> scopes,
    TimeProvider timeProvider,
    TokenMetrics metrics,
    TimeSpan timeout) : ITokenAcquirer
{
    // A managed identity is asked for a resource, not for scopes: the one app-only scope is "<resource>/.default".
    private readonly string _resource = ToResource(scopes);

    public string ProviderName => provider.Name;

    public Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken) =>
        AppOnlyTokenRequest.RunAsync(
            provider,
            replacing,
            (forceRefresh, bounded) => application.AcquireTokenForManagedIdentity(_resource).WithForceRefresh(forceRefresh).ExecuteAsync(bounded),
            scopes,
            timeProvider,
            metrics,
            timeout,
            cancellationToken);

    internal static string ToResource(IReadOnlyList<string> scopes)
    {
        var scope = scopes.Count == 1 ? scopes[0] : throw new ArgumentException("A managed identity takes exactly one scope, the resource's /.default.", nameof(scopes));
        return scope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase) ? scope[..^"/.default".Length] : scope;
    }
}
