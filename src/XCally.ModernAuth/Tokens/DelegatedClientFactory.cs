using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Builds the MSAL clients of delegated accounts: for a sign-in, a client whose user token cache is bound to that account's
/// entry; for refreshes, clients pooled per provider and lent to one account at a time (<see cref="DelegatedProviderClients"/>).
/// Confidential clients serve the authorization code flow, public ones device code (the app registration must allow public
/// client flows).
/// </summary>
internal sealed class DelegatedClientFactory(
    ConfidentialClientApplicationFactory confidential,
    IMsalHttpClientFactory httpClientFactory,
    TokenCacheEntryStore store)
{
    // MSAL adds these to every delegated request itself and refuses them in the scopes it is given.
    private static readonly HashSet<string> ReservedScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access" };

    public TokenCacheEntryStore Store { get; } = store;

    /// <summary>The provider's scopes as MSAL takes them: without the OpenID Connect scopes it adds itself.</summary>
    public static string[] MsalScopes(CloudProvider provider) => MsalScopes(provider.Scopes);

    /// <summary>Scopes as MSAL takes them: without the OpenID Connect scopes it adds itself.</summary>
    public static string[] MsalScopes(IEnumerable<string> scopes) =>
        scopes.Where(scope => !ReservedScopes.Contains(scope)).ToArray();

    /// <summary>A confidential client for one sign-in (the authorization code flow), its user token cache read from and written through to the account's entry.</summary>
    public IConfidentialClientApplication CreateConfidential(CloudProvider provider, string accountAddress, Uri? redirectUri = null)
    {
        var application = confidential.Create(provider, redirectUri ?? provider.RedirectUri);
        new AccountTokenCache(Store, TokenCacheKeys.For(provider, accountAddress), DelegatedClientKind.Confidential).Attach(application.UserTokenCache);
        return application;
    }

    /// <summary>A public client for one sign-in (the device code flow), its user token cache read from and written through to the account's entry.</summary>
    public IPublicClientApplication CreatePublic(CloudProvider provider, string accountAddress)
    {
        var application = BuildPublic(provider);
        new AccountTokenCache(Store, TokenCacheKeys.For(provider, accountAddress), DelegatedClientKind.Public).Attach(application.UserTokenCache);
        return application;
    }

    /// <summary>A confidential client of the provider with no token cache binding (the caller binds one).</summary>
    public IConfidentialClientApplication BuildConfidential(CloudProvider provider) => confidential.Create(provider, provider.RedirectUri);

    /// <summary>A public client of the provider with no token cache binding (the caller binds one).</summary>
    public IPublicClientApplication BuildPublic(CloudProvider provider)
    {
        var (instance, isMicrosoftHost) = ConfidentialClientApplicationFactory.CheckAuthority(provider);
        var builder = PublicClientApplicationBuilder.Create(provider.ClientId)
            .WithHttpClientFactory(httpClientFactory)
            .WithAuthority(instance, provider.TenantId, validateAuthority: isMicrosoftHost);
        if (!isMicrosoftHost)
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        try
        {
            return builder.Build();
        }
        catch (MsalClientException exception)
        {
            throw IdentityErrorTranslator.Translate(exception, provider, TimeProvider.System);
        }
    }
}
