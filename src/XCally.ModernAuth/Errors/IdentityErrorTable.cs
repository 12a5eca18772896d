namespace XCally.ModernAuth.Internal;

/// <summary>
/// The one table of identity-platform failures the SDK recognises, each with its category and the fix. The exception
/// translator reads it, and the troubleshooting documentation is checked against it, so add a failure here and nowhere else.
/// </summary>
internal static class IdentityErrorTable
{
    public const string Http429 = "HTTP 429";
    public const string Http5xx = "HTTP 5xx";
    public const string Timeout = "timeout";
    public const string Network = "network";
    public const string Tls = "tls";

    /// <summary>Every mapping: AADSTS codes first, then OAuth 2.0 error names, then transport conditions.</summary>
    public static readonly IdentityErrorMapping[] Entries =
    [
        new("AADSTS7000215", ModernAuthErrorCategory.InvalidClientSecret,
            "The client secret is wrong. Put the secret's Value (shown only once, when the secret is created under Certificates & secrets) in the provider's ClientSecret, not its Secret ID; if the Value was lost, create a new secret."),
        new("AADSTS7000222", ModernAuthErrorCategory.ClientSecretExpired,
            "The client secret has expired. Create a new secret under the app registration's Certificates & secrets, put its Value in the provider's ClientSecret and set SecretExpiresOn to its expiry."),
        new("AADSTS700016", ModernAuthErrorCategory.ApplicationNotFound,
            "No application with this ClientId exists in the tenant. Copy the Application (client) ID from the app registration's Overview, and check that TenantId and Cloud name the tenant the app is registered in."),
        new("AADSTS90002", ModernAuthErrorCategory.TenantNotFound,
            "The tenant was not found. Copy the Directory (tenant) ID from the app registration's Overview, and set Cloud to the tenant's national cloud (Global, UsGovernment, UsGovernmentDoD or China)."),
        new("AADSTS90072", ModernAuthErrorCategory.TenantNotFound,
            "The account is not in this tenant. Check that TenantId is the tenant that holds the mailboxes."),
        new("AADSTS65001", ModernAuthErrorCategory.ConsentRequired,
            "The application's permissions have not been consented. Under API permissions add Office 365 Exchange Online's IMAP.AccessAsApp, POP.AccessAsApp and SMTP.SendAsApp and select 'Grant admin consent'."),
        new("AADSTS650057", ModernAuthErrorCategory.ConsentRequired,
            "The application does not request permissions on this resource. Under API permissions add Office 365 Exchange Online's IMAP.AccessAsApp, POP.AccessAsApp and SMTP.SendAsApp and grant admin consent."),
        new("AADSTS70011", ModernAuthErrorCategory.InvalidScope,
            "The requested scope is invalid. App-only tokens need the single scope https://outlook.office365.com/.default (outlook.office365.us for US Government, partner.outlook.cn for China): not a Microsoft Graph scope, and never /.default mixed with other scopes. Remove custom Scopes to use the defaults."),
        new("AADSTS1002012", ModernAuthErrorCategory.InvalidScope,
            "The requested scope is invalid. App-only tokens need the single scope https://outlook.office365.com/.default (or the national cloud's equivalent)."),
        new("AADSTS7000218", ModernAuthErrorCategory.InvalidClientConfiguration,
            "The request carried no client credential. Set exactly one of ClientSecret, Certificate or ClientAssertion on the provider."),
        new("AADSTS700025", ModernAuthErrorCategory.InvalidClientConfiguration,
            "The app registration is a public client, which cannot use a secret or certificate. Register a confidential (web) application, or turn off 'Allow public client flows' under Authentication."),
        new("AADSTS700027", ModernAuthErrorCategory.InvalidClientCertificate,
            "The client assertion's signature was refused. Upload the certificate's public part (.cer) under the app registration's Certificates & secrets, and check that the configured certificate holds the matching private key and has not expired."),
        new("AADSTS700024", ModernAuthErrorCategory.InvalidClientCertificate,
            "The client assertion is outside its validity period. Check the machine's clock and that the assertion callback returns a fresh assertion each time."),
        new("AADSTS700023", ModernAuthErrorCategory.InvalidClientCertificate,
            "The client assertion's audience is wrong. Sign assertions for the token endpoint passed to the assertion callback."),
        new("AADSTS70021", ModernAuthErrorCategory.InvalidClientCertificate,
            "No federated credential of the app registration matches the assertion. Add one under Certificates & secrets, Federated credentials, with the assertion's issuer, subject and audience (for a managed identity: the scenario 'Managed identity' and the identity itself)."),
        new("AADSTS700211", ModernAuthErrorCategory.InvalidClientCertificate,
            "No federated credential of the app registration has the assertion's issuer. Under Certificates & secrets, Federated credentials, set the issuer exactly (case-sensitive): for a managed identity https://login.microsoftonline.com/<its tenant id>/v2.0, for Kubernetes the cluster's OIDC issuer URL."),
        new("AADSTS700212", ModernAuthErrorCategory.InvalidClientCertificate,
            "No federated credential of the app registration has the assertion's audience. Set the federated credential's audience to the cloud's token exchange audience (api://AzureADTokenExchange; api://AzureADTokenExchangeUSGov for US Government, api://AzureADTokenExchangeChina for China), and request the managed identity's or workload's token for it."),
        new("AADSTS700213", ModernAuthErrorCategory.InvalidClientCertificate,
            "No federated credential of the app registration has the assertion's subject. Set the federated credential's subject exactly (case-sensitive): a managed identity's object (principal) id, or system:serviceaccount:<namespace>:<service account> for Kubernetes."),
        new("AADSTS50166", ModernAuthErrorCategory.InvalidClientCertificate,
            "The identity platform could not read the signing keys of the assertion's issuer. The issuer's OpenID configuration (<issuer>/.well-known/openid-configuration and its jwks_uri) must be reachable from the internet; for AKS, enable the cluster's OIDC issuer."),
        new("AADSTS50173", ModernAuthErrorCategory.ReauthorizationRequired,
            "The grant has expired or was revoked (for example after a password change). Sign in to the mailbox again."),
        new("AADSTS70008", ModernAuthErrorCategory.ReauthorizationRequired,
            "The refresh token or authorization code has expired. Sign in to the mailbox again."),
        new("AADSTS70043", ModernAuthErrorCategory.ReauthorizationRequired,
            "The refresh token has expired under a Conditional Access sign-in frequency policy. Sign in to the mailbox again."),
        new("AADSTS700082", ModernAuthErrorCategory.ReauthorizationRequired,
            "The refresh token has expired after a long time unused. Sign in to the mailbox again."),
        new("AADSTS50133", ModernAuthErrorCategory.ReauthorizationRequired,
            "The session is no longer valid after a password change or expiry. Sign in to the mailbox again."),
        new("AADSTS50055", ModernAuthErrorCategory.ReauthorizationRequired,
            "The user's password has expired. The user must change it, then sign in to the mailbox again."),
        new("AADSTS50057", ModernAuthErrorCategory.ReauthorizationRequired,
            "The user account is disabled. Enable it in Microsoft Entra ID, then sign in to the mailbox again."),
        new("AADSTS50076", ModernAuthErrorCategory.ReauthorizationRequired,
            "Multi-factor authentication is now required for this user. Sign in to the mailbox again, completing MFA."),
        new("AADSTS50079", ModernAuthErrorCategory.ReauthorizationRequired,
            "The user must register for multi-factor authentication. Have the user register, then sign in to the mailbox again."),
        new("AADSTS65004", ModernAuthErrorCategory.ConsentRequired,
            "The user declined to consent to the application. Sign in again and accept, or have an administrator grant admin consent under API permissions."),
        new("AADSTS50011", ModernAuthErrorCategory.InvalidClientConfiguration,
            "The redirect URI is not registered on the application. Add it exactly (scheme, host, port, path) under Authentication, Web platform, and set the same value as the provider's RedirectUri."),
        new("AADSTS54005", ModernAuthErrorCategory.InvalidAuthorizationState,
            "The authorization code was already redeemed (a replayed callback). Start the sign-in again."),
        new("AADSTS501481", ModernAuthErrorCategory.InvalidAuthorizationState,
            "The PKCE code verifier does not match the sign-in it was started with. Start the sign-in again."),
        new("AADSTS50196", ModernAuthErrorCategory.Throttled,
            "The identity platform saw the same request too often (a request loop). The SDK sends no request before RetryAfter and serves its current token meanwhile; look for other processes or hosts using the same app registration without sharing a token cache, or code that builds its own MSAL client per request."),
        new("AADSTS90055", ModernAuthErrorCategory.Throttled,
            "The tenant is sending too many token requests. The SDK waits for RetryAfter; look for other processes or hosts using the same app registration."),
        new("invalid_grant", ModernAuthErrorCategory.ReauthorizationRequired,
            "The grant is no longer valid. Sign in to the mailbox again."),
        new("interaction_required", ModernAuthErrorCategory.ReauthorizationRequired,
            "The identity platform needs the user to sign in again. Sign in to the mailbox again."),
        new("authorization_declined", ModernAuthErrorCategory.ConsentRequired,
            "The user declined the device code sign-in. Start it again and approve it."),
        new("expired_token", ModernAuthErrorCategory.InvalidAuthorizationState,
            "The device code expired before the user signed in. Start the sign-in again and enter the code sooner."),
        new("invalid_scope", ModernAuthErrorCategory.InvalidScope,
            "The requested scope is invalid. Remove custom Scopes from the provider to use the Exchange Online default of its cloud."),
        new("unauthorized_client", ModernAuthErrorCategory.InvalidClientConfiguration,
            "The application may not use this flow. Check the app registration's platform and that ClientId names a confidential application."),
        new("invalid_client", ModernAuthErrorCategory.InvalidClientConfiguration,
            "The identity platform refused the client. Check ClientId and the provider's credential."),
        new("consent_required", ModernAuthErrorCategory.ConsentRequired,
            "Grant admin consent for the application's API permissions."),
        new("managed_identity_request_failed", ModernAuthErrorCategory.InvalidConfiguration,
            "The managed identity endpoint refused the request. Turn the identity on under the Azure resource's Identity page (System assigned: On), or add the user-assigned identity there and set its client id or resource id in ManagedIdentity (or FederatedManagedIdentity); the identity's service principal must hold the permissions."),
        new("managed_identity_unreachable_network", ModernAuthErrorCategory.InvalidConfiguration,
            "No managed identity endpoint answered: the host is not running on an Azure resource with a managed identity (App Service and Functions set IDENTITY_ENDPOINT and IDENTITY_HEADER; VMs and containers use IMDS). Run it there with the identity turned on, or use another credential outside Azure."),
        new("temporarily_unavailable", ModernAuthErrorCategory.Transient,
            "The identity platform is temporarily unavailable; this usually passes. The SDK serves its current token while it is valid and retries with back-off; check https://status.cloud.microsoft if it lasts."),
        new(Http429, ModernAuthErrorCategory.Throttled,
            "The identity platform is throttling token requests. The SDK sends no request before RetryAfter and serves its current token meanwhile; look for other processes or hosts using the same app registration."),
        new(Http5xx, ModernAuthErrorCategory.Transient,
            "The identity platform answered with a server error; this usually passes. The SDK serves its current token while it is valid and retries with back-off; check https://status.cloud.microsoft if it lasts."),
        new(Timeout, ModernAuthErrorCategory.Transient,
            "The sign-in host did not answer in time. Check the network path (proxy, firewall) to the sign-in host; the SDK retries with back-off."),
        new(Network, ModernAuthErrorCategory.Transient,
            "The sign-in host could not be reached. Check DNS, the proxy configured on the named HttpClient and outbound HTTPS (443) to the sign-in host."),
        new(Tls, ModernAuthErrorCategory.InsecureConnection,
            "Nothing was sent over the unverified connection."),
    ];

    private static readonly Dictionary<string, IdentityErrorMapping> ByCode =
        Entries.ToDictionary(entry => entry.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds the mapping of a code, if the table has one.</summary>
    public static IdentityErrorMapping? Find(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var mapping) ? mapping : null;
}
