using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Builds the MSAL clients of one delegated account, their user token cache bound to that account's entry: the confidential
/// client (authorization code, and refreshing what it obtained) and the public client (device code, and refreshing what it
/// obtained; the app registration must allow public client flows).
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

    public IConfidentialClientApplication CreateConfidential(
        CloudProvider provider,
        string accountAddress,
        Uri? redirectUri = null,
        AccountTokenCacheMode mode = AccountTokenCacheMode.ReadThrough)
    {
        var application = confidential.Create(provider, redirectUri ?? provider.RedirectUri);
        new AccountTokenCache(Store, TokenCacheKeys.For(provider, accountAddress), DelegatedClientKind.Confidential, mode).Attach(application.UserTokenCache);
        return application;
    }

    public IPublicClientApplication CreatePublic(CloudProvider provider, string accountAddress, AccountTokenCacheMode mode = AccountTokenCacheMode.ReadThrough)
    {
        var (instance, isMicrosoftHost) = ConfidentialClientApplicationFactory.CheckAuthority(provider);
        var builder = PublicClientApplicationBuilder.Create(provider.ClientId)
            .WithHttpClientFactory(httpClientFactory)
            .WithAuthority(instance, provider.TenantId, validateAuthority: isMicrosoftHost);
        if (!isMicrosoftHost)
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        IPublicClientApplication application;
        try
        {
            application = builder.Build();
        }
        catch (MsalClientException exception)
        {
            throw IdentityErrorTranslator.Translate(exception, provider, TimeProvider.System);
        }

        new AccountTokenCache(Store, TokenCacheKeys.For(provider, accountAddress), DelegatedClientKind.Public, mode).Attach(application.UserTokenCache);
        return application;
    }
}
