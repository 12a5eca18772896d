namespace XCally.ModernAuth.Salesforce;

/// <summary>Defaults and the names the Salesforce package registers things under.</summary>
public static class SalesforceDefaults
{
    /// <summary>
    /// The name of the <see cref="System.Net.Http.HttpClient"/> (from <c>IHttpClientFactory</c>) that talks to Salesforce, for
    /// tokens and REST calls. Configure it with <c>services.AddHttpClient(SalesforceDefaults.HttpClientName)</c> for a proxy.
    /// </summary>
    public const string HttpClientName = "XCally.ModernAuth.Salesforce";

    /// <summary>The service name of Salesforce providers in configuration (<c>Service: Salesforce</c>).</summary>
    public const string ServiceName = "Salesforce";

    /// <summary>The REST API version used unless a provider sets its own.</summary>
    public const string ApiVersion = "62.0";

    /// <summary>Salesforce's default session timeout, used unless a provider sets the org's own.</summary>
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromHours(2);
}
