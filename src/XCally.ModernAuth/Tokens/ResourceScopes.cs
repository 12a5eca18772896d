namespace XCally.ModernAuth.Internal;

/// <summary>The scopes a provider requests for each <see cref="TokenResource"/>.</summary>
internal static class ResourceScopes
{
    /// <summary>
    /// Exchange Online: the provider's <see cref="CloudProvider.Scopes"/>. Microsoft Graph: its <see cref="CloudProvider.GraphScopes"/>,
    /// <c>/.default</c> of the cloud's Graph host for app-only tokens (the application permissions granted, e.g. <c>Mail.Send</c>),
    /// and the delegated mail permissions for delegated ones.
    /// </summary>
    public static IReadOnlyList<string> For(CloudProvider provider, TokenResource resource) => resource switch
    {
        TokenResource.ExchangeOnline => provider.Scopes,
        TokenResource.MicrosoftGraph => provider.GraphScopes,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "Unknown token resource."),
    };

    /// <summary>The Microsoft Graph host of a cloud (national cloud deployments of Graph).</summary>
    public static string GraphHost(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "https://graph.microsoft.com",
        CloudEnvironment.UsGovernment => "https://graph.microsoft.us",
        CloudEnvironment.UsGovernmentDoD => "https://dod-graph.microsoft.us",
        CloudEnvironment.China => "https://microsoftgraph.chinacloudapi.cn",
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };
}
