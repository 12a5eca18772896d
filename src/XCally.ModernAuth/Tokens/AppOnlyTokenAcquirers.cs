using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Chooses how an app-only provider's tokens are obtained: from its managed identity (<see cref="ManagedIdentityCredential"/>),
/// or from its MSAL confidential client for every other credential. One MSAL client per provider, shared by its resources.
/// </summary>
internal static class AppOnlyTokenAcquirers
{
    public static Func<TokenResource, ITokenAcquirer> For(
        CloudProvider provider,
        ConfidentialClientApplicationFactory applications,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        TimeSpan timeout)
    {
        if (provider.Credential is ManagedIdentityCredential managed)
        {
            var identity = applications.CreateManagedIdentity(provider, managed.Identity);
            return resource => new ManagedIdentityTokenAcquirer(provider, identity, ResourceScopes.For(provider, resource), timeProvider, metrics, timeout);
        }

        var application = applications.Create(provider);
        return resource => new ConfidentialClientTokenAcquirer(provider, application, ResourceScopes.For(provider, resource), timeProvider, metrics, timeout);
    }
}
