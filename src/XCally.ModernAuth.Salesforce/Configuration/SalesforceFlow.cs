namespace XCally.ModernAuth.Salesforce;

/// <summary>How a Salesforce provider signs in to its org.</summary>
public enum SalesforceFlow
{
    /// <summary>OAuth 2.0 client credentials: the Consumer Key and Secret, tokens issued for the app's <em>Run As</em> user, on the org's My Domain.</summary>
    ClientCredentials = 0,

    /// <summary>OAuth 2.0 JWT bearer: an assertion signed with the certificate uploaded to the app, for a pre-authorized user.</summary>
    JwtBearer = 1,

    /// <summary>
    /// The legacy username-password flow (the API user's password followed by its security token). Blocked by default in orgs
    /// created since Summer '23 and being retired by Salesforce; refused unless <see cref="SalesforceProviderOptions.AllowUsernamePasswordFlow"/> is set.
    /// </summary>
    UsernamePassword = 2,
}
