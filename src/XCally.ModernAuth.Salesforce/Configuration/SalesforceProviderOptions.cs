namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// The settings of one Salesforce provider: an entry of <c>XCallyModernAuth:CloudProviders</c> with <c>Service: Salesforce</c>,
/// or one added with <c>AddSalesforceProvider</c>. Validated into a <see cref="SalesforceProvider"/>.
/// </summary>
public sealed class SalesforceProviderOptions
{
    /// <summary>The kind of app. Default <see cref="SalesforceAppType.ConnectedApp"/>.</summary>
    public SalesforceAppType Type { get; set; } = SalesforceAppType.ConnectedApp;

    /// <summary>The sign-in flow. Default <see cref="SalesforceFlow.ClientCredentials"/>.</summary>
    public SalesforceFlow Flow { get; set; } = SalesforceFlow.ClientCredentials;

    /// <summary>
    /// Where tokens are requested: the org's My Domain, <c>https://&lt;domain&gt;.my.salesforce.com</c> (<em>Setup → My Domain</em>;
    /// required for client credentials), or <c>https://login.salesforce.com</c> (production) / <c>https://test.salesforce.com</c>
    /// (sandbox) for the JWT bearer and username-password flows. For the JWT bearer flow it is also the assertion's audience.
    /// </summary>
    public string? LoginUrl { get; set; }

    /// <summary>The app's Consumer Key (<em>Manage Consumer Details</em>). Required.</summary>
    public string? ConsumerKey { get; set; }

    /// <summary>The app's Consumer Secret; for client credentials and the username-password flow.</summary>
    public string? ConsumerSecret { get; set; }

    /// <summary>The certificate (with its private key, RSA) whose public part is uploaded to the app; for the JWT bearer flow.</summary>
    public CertificateOptions? Certificate { get; set; }

    /// <summary>The Salesforce username: the pre-authorized user of the JWT bearer flow, or the API user of the username-password flow.</summary>
    public string? Username { get; set; }

    /// <summary>The API user's password; username-password flow only.</summary>
    public string? Password { get; set; }

    /// <summary>The API user's security token (<em>Settings → Reset My Security Token</em>), appended to the password; username-password flow only.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>Opts in to the legacy <see cref="SalesforceFlow.UsernamePassword"/> flow, which is refused without it and warned about at start.</summary>
    public bool AllowUsernamePasswordFlow { get; set; }

    /// <summary>
    /// The org's session timeout (<em>Setup → Session Settings → Timeout Value</em>): Salesforce tokens carry no expiry, so a session
    /// is renewed in the background well before this. 15 minutes to 24 hours; default 2 hours, Salesforce's default.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = SalesforceDefaults.SessionTimeout;

    /// <summary>The REST API version, e.g. <c>62.0</c>. Default <see cref="SalesforceDefaults.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = SalesforceDefaults.ApiVersion;

    /// <summary>
    /// Allows <see cref="LoginUrl"/> and the org's <c>instance_url</c> to be hosts other than Salesforce's. Off by default, so that a
    /// mistyped host never receives the consumer secret or a session; turn it on only for an emulator or tests.
    /// </summary>
    public bool AllowNonSalesforceHost { get; set; }

    /// <summary>The configuration path this provider was bound from, for validation messages; <see langword="null"/> when added in code.</summary>
    internal string? ConfigurationPath { get; set; }
}
