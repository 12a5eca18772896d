namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// A Salesforce session: the access token (a session id) and the <c>instance_url</c> REST calls must go to.
/// <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class SalesforceSession
{
    /// <summary>Creates a session.</summary>
    /// <param name="providerName">The provider it belongs to.</param>
    /// <param name="accessToken">The token; its expiry is the provider's session timeout after issue.</param>
    /// <param name="instanceUrl">The org's <c>instance_url</c>.</param>
    public SalesforceSession(string providerName, AccessToken accessToken, Uri instanceUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(accessToken);
        ArgumentNullException.ThrowIfNull(instanceUrl);
        ProviderName = providerName;
        AccessToken = accessToken;
        InstanceUrl = instanceUrl;
    }

    /// <summary>The provider the session belongs to.</summary>
    public string ProviderName { get; }

    /// <summary>The bearer token. Never log its value.</summary>
    public AccessToken AccessToken { get; }

    /// <summary>Where REST calls go, e.g. <c>https://contoso.my.salesforce.com</c>.</summary>
    public Uri InstanceUrl { get; }

    /// <inheritdoc />
    public override string ToString() => $"SalesforceSession {ProviderName} at {InstanceUrl} (from {AccessToken.Source}, renewed before {AccessToken.ExpiresOn:O})";
}
