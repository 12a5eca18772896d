using System.Net;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>The Entra ID errors the emulator answers, with Entra's own wording.</summary>
internal static class StsErrors
{
    public static StsError TenantNotFound(string tenant) => new(
        "invalid_tenant", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
        HttpStatusCode.BadRequest);

    public static StsError MissingParameter(string name) => new(
        "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.", HttpStatusCode.BadRequest);

    public static StsError UnsupportedGrantType(string grantType) => new(
        "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.", HttpStatusCode.BadRequest);

    public static StsError ApplicationNotFound(string clientId, string tenant) => new(
        "unauthorized_client", 700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
        HttpStatusCode.BadRequest);

    public static StsError NotMultiTenant(EmulatorApplication application) => new(
        "invalid_request", 50194,
        $"Application '{application.ClientId}'({application.DisplayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
        HttpStatusCode.BadRequest);

    public static StsError ClientCredentialMissing() => new(
        "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", HttpStatusCode.Unauthorized);

    public static StsError InvalidClientSecret(string clientId) => new(
        "invalid_client", 7000215,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.",
        HttpStatusCode.Unauthorized);

    public static StsError ClientSecretExpired(string clientId) => new(
        "invalid_client", 7000222,
        $"The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
        HttpStatusCode.Unauthorized);

    public static StsError InvalidClientAssertion(string reason) => new(
        "invalid_client", 700027, $"Client assertion failed signature validation. {reason}", HttpStatusCode.Unauthorized);

    public static StsError AssertionCertificateNotRegistered(string clientId) => new(
        "invalid_client", 700027,
        $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]",
        HttpStatusCode.Unauthorized);

    private const string FederationHelp = "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

    public static StsError NoFederatedCredential(string issuer, string subject, string audience) => new(
        "invalid_request", 70021,
        $"No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation",
        HttpStatusCode.BadRequest);

    public static StsError FederatedIssuerMismatch(string issuer) => new(
        "invalid_client", 700211, $"No matching federated identity record found for presented assertion issuer '{issuer}'. {FederationHelp}", HttpStatusCode.Unauthorized);

    public static StsError FederatedAudienceMismatch(string audience) => new(
        "invalid_client", 700212, $"No matching federated identity record found for presented assertion audience '{audience}'. {FederationHelp}", HttpStatusCode.Unauthorized);

    public static StsError FederatedSubjectMismatch(string subject) => new(
        "invalid_client", 700213, $"No matching federated identity record found for presented assertion subject '{subject}'. {FederationHelp}", HttpStatusCode.Unauthorized);

    public static StsError FederatedIssuerKeysUnavailable(string issuer) => new(
        "invalid_client", 50166, $"Request to External OIDC endpoint failed. The signing keys of issuer '{issuer}' could not be read from its OpenID configuration.", HttpStatusCode.Unauthorized);

    public static StsError AssertionOutOfTimeRange() => new(
        "invalid_client", 700024, "Client assertion is not within its valid time range.", HttpStatusCode.Unauthorized);

    public static StsError InvalidScope(string scope, string why) => new(
        "invalid_scope", 70011,
        $"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid. {why}",
        HttpStatusCode.BadRequest);

    public static StsError ResourceNotFound(string resource, string tenantId) => new(
        "invalid_resource", 500011,
        $"The resource principal named {resource} was not found in the tenant named {tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
        HttpStatusCode.BadRequest);

    public static StsError RedirectUriMismatch(string redirectUri, string clientId) => new(
        "invalid_request", 50011,
        $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
        HttpStatusCode.BadRequest);

    public static StsError PkceMismatch() => new(
        "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.", HttpStatusCode.BadRequest);

    public static StsError CodeAlreadyRedeemed() => new(
        "invalid_grant", 54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        HttpStatusCode.BadRequest);

    public static StsError InvalidGrant(string what) => new(
        "invalid_grant", 70000, $"The provided value for the '{what}' parameter is not valid.", HttpStatusCode.BadRequest);

    public static StsError MalformedRefreshToken() => new(
        "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.", HttpStatusCode.BadRequest);

    public static StsError GrantExpired() => new(
        "invalid_grant", 70008,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        HttpStatusCode.BadRequest);

    public static StsError GrantRevoked() => new(
        "invalid_grant", 50173,
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
        HttpStatusCode.BadRequest);

    public static StsError ConsentRequired(EmulatorApplication application) => new(
        "invalid_grant", 65001,
        $"The user or administrator has not consented to use the application with ID '{application.ClientId}' named '{application.DisplayName}'. Send an interactive authorization request for this user and resource.",
        HttpStatusCode.BadRequest);

    public static StsError UserNotFound(string userPrincipalName, string tenant) => new(
        "invalid_request", 50034, $"The user account {userPrincipalName} does not exist in the {tenant} directory. To sign into this application, the account must be added to the directory.", HttpStatusCode.BadRequest);

    public static StsError UserDisabled() => new(
        "access_denied", 50057, "The user account is disabled.", HttpStatusCode.BadRequest);

    public static StsError LoginRequired() => new(
        "login_required", 50058, "A silent sign-in request was sent but no user is signed in.", HttpStatusCode.BadRequest);

    public static StsError ConsentDeclined() => new(
        "access_denied", 65004, "User declined to consent to access the app.", HttpStatusCode.BadRequest);

    public static StsError UnsupportedResponseType(string responseType) => new(
        "unsupported_response_type", 700054, $"response_type '{responseType}' is not enabled for the application.", HttpStatusCode.BadRequest);

    public static StsError AuthorizationPending() => new(
        "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.", HttpStatusCode.BadRequest);

    public static StsError DeviceCodeExpired() => new(
        "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.", HttpStatusCode.BadRequest);

    public static StsError DeviceCodeDeclined() => new(
        "authorization_declined", 65004, "User declined to consent to access the app.", HttpStatusCode.BadRequest);

    public static StsError TransientError() => new(
        "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.", HttpStatusCode.ServiceUnavailable);

    public static StsError Throttled() => new(
        "temporarily_unavailable", 50196,
        "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
        HttpStatusCode.TooManyRequests);

    /// <summary>The error for an AADSTS number, with Entra's wording where the emulator knows it.</summary>
    public static StsError ForCode(int code, string clientId) => code switch
    {
        90002 => TenantNotFound("(injected)"),
        700016 => ApplicationNotFound(clientId, "(injected)"),
        7000215 => InvalidClientSecret(clientId),
        7000222 => ClientSecretExpired(clientId),
        7000218 => ClientCredentialMissing(),
        700027 => InvalidClientAssertion("(injected)"),
        700024 => AssertionOutOfTimeRange(),
        70011 => InvalidScope("(injected)", string.Empty),
        54005 => CodeAlreadyRedeemed(),
        501481 => PkceMismatch(),
        70008 => GrantExpired(),
        50173 => GrantRevoked(),
        50057 => UserDisabled(),
        50076 => new("invalid_grant", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.", HttpStatusCode.BadRequest),
        53003 => new("invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", HttpStatusCode.BadRequest),
        70043 => new("invalid_grant", 70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", HttpStatusCode.BadRequest),
        65001 => new("invalid_grant", 65001, $"The user or administrator has not consented to use the application with ID '{clientId}'. Send an interactive authorization request for this user and resource.", HttpStatusCode.BadRequest),
        90033 => TransientError(),
        50196 => Throttled(),
        _ => new("invalid_request", code, "The request could not be completed (error injected by the emulator).", HttpStatusCode.BadRequest),
    };
}
