namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The one table of Salesforce failures the package recognises, from the token endpoint and the REST API, each with its category
/// and the fix. The translator reads it, and the Salesforce rows of the troubleshooting page are checked against it.
/// </summary>
internal static class SalesforceErrorTable
{
    public const string Http429 = "HTTP 429";
    public const string Http5xx = "HTTP 5xx";
    public const string Timeout = "timeout";
    public const string Network = "network";

    private const string PreAuthorize = "In Setup → App Manager → the app → Manage → Edit Policies, set Permitted Users to 'Admin approved users are pre-authorized' and add the user's profile or a permission set under Manage Profiles / Manage Permission Sets (External Client Apps: Policies → OAuth Policies → Permitted Users); check that Username is that user.";

    /// <summary>Every mapping: token endpoint errors (specific descriptions first), then REST error codes, then transport conditions.</summary>
    public static readonly SalesforceErrorMapping[] Entries =
    [
        new("invalid_client_id", null, ModernAuthErrorCategory.ApplicationNotFound,
            "No app of this org has this Consumer Key. Copy the Consumer Key from the app's Manage Consumer Details (Setup → App Manager → the app → View; External Client Apps: External Client App Manager → the app → Settings → OAuth Settings), and check that LoginUrl is the org the app lives in (a sandbox has its own)."),
        new("invalid_client", null, ModernAuthErrorCategory.InvalidClientSecret,
            "The Consumer Secret is wrong or was rotated. Copy it again from the app's Manage Consumer Details into ConsumerSecret."),
        new("invalid_grant", "request not supported on this domain", ModernAuthErrorCategory.InvalidConfiguration,
            "Client credentials are served only on the org's My Domain. Set LoginUrl to https://<domain>.my.salesforce.com (Setup → My Domain), not login.salesforce.com or test.salesforce.com."),
        new("invalid_grant", "no client credentials user enabled", ModernAuthErrorCategory.InvalidClientConfiguration,
            "Client credentials need a Run As user. In Setup → App Manager → the app → Manage → Edit Policies → Client Credentials Flow, pick the integration user as Run As (External Client Apps: Policies → OAuth Policies → Enable Client Credentials Flow and Run As), and check that the app has Enable Client Credentials Flow on."),
        new("invalid_grant", "user hasn't approved this consumer", ModernAuthErrorCategory.ConsentRequired,
            "The JWT bearer flow needs the user pre-authorized. " + PreAuthorize),
        new("invalid_grant", "user is not admin approved", ModernAuthErrorCategory.ConsentRequired,
            "The user is not pre-authorized for the app. " + PreAuthorize),
        new("invalid_grant", "expired authorization code", ModernAuthErrorCategory.InvalidClientCertificate,
            "Salesforce refused the JWT's expiry (exp): the clocks of this machine and Salesforce disagree. The SDK sets exp 3 minutes ahead and Salesforce accepts at most 5; synchronise this machine's clock (NTP)."),
        new("invalid_grant", "invalid assertion", ModernAuthErrorCategory.InvalidClientCertificate,
            "Salesforce refused the JWT's signature. Upload the certificate's public part (.crt) to the app under Use digital signatures (External Client Apps: OAuth Settings → Enable JWT Bearer Flow), and configure the matching PFX, with its private key, in Certificate."),
        new("invalid_grant", "audience", ModernAuthErrorCategory.InvalidConfiguration,
            "Salesforce refused the JWT's audience, which the SDK takes from LoginUrl. Use https://login.salesforce.com for production, https://test.salesforce.com for a sandbox, or the org's My Domain URL."),
        new("invalid_grant", "authentication failure", ModernAuthErrorCategory.InvalidClientConfiguration,
            "Salesforce refused the sign-in without saying why; the user's Login History (Setup → Users → the user) does. For the username-password flow the usual causes are: the org blocks it (Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows; off in orgs created since Summer '23, and being retired: move to ClientCredentials or JwtBearer), a wrong Password or SecurityToken (reset it under the user's Settings → Reset My Security Token), an External Client App (no username-password flow), or the app's IP Relaxation policy."),
        new("invalid_grant", null, ModernAuthErrorCategory.InvalidClientConfiguration,
            "Salesforce refused the grant. Check the app's policies (Setup → App Manager → the app → Manage → Edit Policies) and the user's Login History for the reason."),
        new("unsupported_grant_type", null, ModernAuthErrorCategory.InvalidClientConfiguration,
            "The app does not allow this flow. Enable it on the app: Enable Client Credentials Flow for ClientCredentials, Use digital signatures for JwtBearer; for UsernamePassword also Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows."),
        new("inactive_user", null, ModernAuthErrorCategory.ReauthorizationRequired,
            "The user the app signs in as (Run As or Username) is inactive or frozen. Activate or unfreeze it in Setup → Users."),
        new("inactive_org", null, ModernAuthErrorCategory.InvalidConfiguration,
            "The org is locked, closed or suspended, or LoginUrl names another org. Check LoginUrl and the org's status with its administrator."),
        new("rate_limit_exceeded", null, ModernAuthErrorCategory.Throttled,
            "Salesforce limits how often a user signs in. The SDK reuses one session per provider; check that the host does not create a client per request."),
        new("invalid_request", null, ModernAuthErrorCategory.InvalidClientConfiguration,
            "Salesforce refused the token request as malformed. Check Flow, and for JwtBearer that Username is set."),
        new("INVALID_SESSION_ID", null, ModernAuthErrorCategory.ReauthorizationRequired,
            "Salesforce refused a session it had just issued. If the message says 'not valid for use with the REST API', add the OAuth scope 'Manage user data via APIs (api)' to the app; otherwise check Setup → Session Settings (Lock sessions to the IP address from which they originated) and that the user has API Enabled."),
        new("REQUEST_LIMIT_EXCEEDED", null, ModernAuthErrorCategory.Throttled,
            "The org used up its API requests for the last 24 hours (Setup → Company Information → API Requests). Wait, or raise the org's limit with Salesforce."),
        new("INSUFFICIENT_ACCESS_OR_READONLY", null, ModernAuthErrorCategory.ConsentRequired,
            "The integration user may not write this record. Give it, through a permission set, Create on Case, EmailMessage and ContentVersion and Read on Contact, and access to the records involved."),
        new("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", null, ModernAuthErrorCategory.ConsentRequired,
            "The integration user may not see a record the request refers to (a Contact, the Case). Share it with the user or give its permission set access."),
        new("API_DISABLED_FOR_ORG", null, ModernAuthErrorCategory.InvalidClientConfiguration,
            "The REST API is not enabled for this org or user. Give the integration user's profile or permission set API Enabled; some editions have no API at all."),
        new("NOT_FOUND", null, ModernAuthErrorCategory.RequestRejected,
            "The resource does not exist: check ApiVersion (the org's versions are listed at /services/data) and the record id."),
        new("INVALID_TYPE", null, ModernAuthErrorCategory.RequestRejected,
            "The object does not exist for this user: check its API name and that the user's permission set gives access to it."),
        new("INVALID_FIELD", null, ModernAuthErrorCategory.RequestRejected,
            "A field does not exist or the user cannot see it: check the field's API name and its field-level security for the integration user."),
        new("MALFORMED_QUERY", null, ModernAuthErrorCategory.RequestRejected,
            "The SOQL query is malformed: quote literals with Soql.Quote."),
        new("REQUIRED_FIELD_MISSING", null, ModernAuthErrorCategory.RequestRejected,
            "A required field is missing; the message names it."),
        new("FIELD_CUSTOM_VALIDATION_EXCEPTION", null, ModernAuthErrorCategory.RequestRejected,
            "A validation rule of the org refused the record; the message is the rule's. Fill what the rule asks for, or ask the org's administrator to exempt the integration user."),
        new("STRING_TOO_LONG", null, ModernAuthErrorCategory.RequestRejected,
            "A value is longer than its field allows; the message names the field."),
        new("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", null, ModernAuthErrorCategory.RequestRejected,
            "A picklist value is not one of the field's values (for example Case Origin 'Email'): add it to the picklist in Setup → Object Manager."),
        new("INVALID_CROSS_REFERENCE_KEY", null, ModernAuthErrorCategory.RequestRejected,
            "A record id in the request (ParentId, ContactId) is not a record of the right object."),
        new("JSON_PARSER_ERROR", null, ModernAuthErrorCategory.RequestRejected,
            "Salesforce could not read the request body."),
        new("PROCESSING_HALTED", null, ModernAuthErrorCategory.RequestRejected,
            "Another record of the same all-or-none request failed, so none was saved; the other error says why."),
        new("UNABLE_TO_LOCK_ROW", null, ModernAuthErrorCategory.Transient,
            "Another transaction held the record. Retry later."),
        new("SERVER_UNAVAILABLE", null, ModernAuthErrorCategory.Transient,
            "Salesforce is unavailable, for example during maintenance. Retry later; trust.salesforce.com shows the instance's status."),
        new(Http429, null, ModernAuthErrorCategory.Throttled,
            "Salesforce is throttling requests. No token request is sent before RetryAfter has passed."),
        new(Http5xx, null, ModernAuthErrorCategory.Transient,
            "Salesforce answered with a server error. A still-valid session keeps being used and the renewal is retried with back-off."),
        new(Timeout, null, ModernAuthErrorCategory.Transient,
            "The request to Salesforce timed out. Check the network path (proxy, firewall) to the login and instance hosts."),
        new(Network, null, ModernAuthErrorCategory.Transient,
            "Salesforce could not be reached. Check DNS, the proxy configured on the named HttpClient and outbound HTTPS (443) to the login and instance hosts."),
    ];

    /// <summary>The mapping of a code and description: the first row whose code matches and whose description fragment occurs in it.</summary>
    public static SalesforceErrorMapping? Find(string? code, string? description) =>
        code is null
            ? null
            : Entries.FirstOrDefault(entry =>
                string.Equals(entry.Code, code, StringComparison.OrdinalIgnoreCase)
                && (entry.Description is null || (description?.Contains(entry.Description, StringComparison.OrdinalIgnoreCase) ?? false)));
}
