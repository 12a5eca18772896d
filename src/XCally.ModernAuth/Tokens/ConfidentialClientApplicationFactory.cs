using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Builds the MSAL confidential client of a cloud provider: its tenant's authority (never <c>common</c> or
/// <c>organizations</c>), its credential, and HTTP through <see cref="IMsalHttpClientFactory"/>.
/// </summary>
/// <remarks>
/// A Microsoft sign-in host gets MSAL's authority validation and instance discovery. A provider that opted in to another host
/// (the emulator, tests) gets <c>WithAuthority(host, tenant, validateAuthority: false)</c> with instance discovery off: MSAL then
/// treats the Entra-shaped authority <c>https://host:port/{tenant}</c> as an Entra one and posts straight to
/// <c>/{tenant}/oauth2/v2.0/token</c>, with no discovery or metadata request. <c>WithOidcAuthority</c> would instead read
/// <c>/.well-known/openid-configuration</c> first and treat the host as a generic OpenID provider, and
/// <c>WithExperimentalFeatures</c> is not needed for either.
/// </remarks>
internal sealed class ConfidentialClientApplicationFactory(IMsalHttpClientFactory httpClientFactory, Func<CloudProvider, AccountTokenCache?>? appTokenCache = null)
{
    private static readonly string[] MultiTenantAliases = ["common", "organizations", "consumers"];

    public IConfidentialClientApplication Create(CloudProvider provider, Uri? redirectUri = null)
    {
        var (instance, isMicrosoftHost) = CheckAuthority(provider);
        var builder = ConfidentialClientApplicationBuilder.Create(provider.ClientId)
            .WithHttpClientFactory(httpClientFactory)
            .WithAuthority(instance, provider.TenantId, validateAuthority: isMicrosoftHost);
        if (!isMicrosoftHost)
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        if (redirectUri is not null)
        {
            builder = builder.WithRedirectUri(redirectUri.OriginalString);
        }

        builder = provider.Credential switch
        {
            ClientSecretCredential secret => builder.WithClientSecret(secret.Secret),
            CertificateCredential certificate => builder.WithCertificate(certificate.Certificate, certificate.SendX5C),
            ClientAssertionCredential assertion => builder.WithClientAssertion(
                (AssertionRequestOptions options) => assertion.GetAssertion(
                    new ClientAssertionRequest(options.ClientID, options.TokenEndpoint), options.CancellationToken)),
            _ => throw Invalid(
                provider,
                $"Cloud provider '{provider.Name}' has a credential of an unknown kind ({provider.Credential.Description}).",
                "Set exactly one of ClientSecret, Certificate or ClientAssertion."),
        };

        IConfidentialClientApplication application;
        try
        {
            application = builder.Build();
        }
        catch (MsalClientException exception)
        {
            throw IdentityErrorTranslator.Translate(exception, provider, TimeProvider.System);
        }

        // App-only tokens kept in the shared token cache too (TokenCacheOptions.CacheAppOnlyTokens): a restarted instance finds a
        // still-valid token there instead of asking the identity platform.
        if (provider.Flow == AuthFlow.AppOnly && appTokenCache?.Invoke(provider) is { } shared)
        {
            shared.Attach(application.AppTokenCache);
        }

        return application;
    }

    /// <summary>
    /// Refuses an authority the credential (or a user's sign-in) must not go to, and returns the instance to pass to MSAL.
    /// </summary>
    internal static (string Instance, bool IsMicrosoftHost) CheckAuthority(CloudProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);

        var host = provider.AuthorityHost;
        var isMicrosoftHost = CloudEnvironmentDefaults.IsMicrosoftAuthorityHost(host.Host);

        // The configuration validators refuse these too; the check is repeated where the credential is about to be sent.
        if (!isMicrosoftHost && !provider.AllowNonMicrosoftAuthority)
        {
            throw Invalid(
                provider,
                $"Cloud provider '{provider.Name}' has AuthorityHost '{host}', which is not a Microsoft sign-in host; its credential is not sent there.",
                "Remove AuthorityHost to use the sign-in host of the provider's Cloud, or set AllowNonMicrosoftAuthority to true for an emulator or tests.");
        }

        if (!string.Equals(host.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(
                provider,
                $"Cloud provider '{provider.Name}' has AuthorityHost '{host}', which does not use HTTPS.",
                "Use an https:// sign-in host.");
        }

        if (MultiTenantAliases.Contains(provider.TenantId, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(
                provider,
                $"Cloud provider '{provider.Name}' has TenantId '{provider.TenantId}'; tokens must come from the mailboxes' own tenant.",
                "Set TenantId to the Directory (tenant) ID from the app registration's Overview.");
        }

        return (host.GetLeftPart(UriPartial.Authority), isMicrosoftHost);
    }

    private static ModernAuthException Invalid(CloudProvider provider, string message, string advice) =>
        new(ModernAuthErrorCategory.InvalidConfiguration, message, advice) { CloudProviderName = provider.Name };
}
