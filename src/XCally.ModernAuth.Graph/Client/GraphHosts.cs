namespace XCally.ModernAuth.Graph.Internal;

/// <summary>Microsoft Graph's hosts per national cloud.</summary>
internal static class GraphHosts
{
    public static readonly string[] All = ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"];

    public static bool IsMicrosoftGraph(Uri url) => All.Contains(url.Host, StringComparer.OrdinalIgnoreCase);

    public static Uri BaseUrl(CloudEnvironment cloud) => new(cloud switch
    {
        CloudEnvironment.UsGovernment => "https://graph.microsoft.us/v1.0",
        CloudEnvironment.UsGovernmentDoD => "https://dod-graph.microsoft.us/v1.0",
        CloudEnvironment.China => "https://microsoftgraph.chinacloudapi.cn/v1.0",
        _ => "https://graph.microsoft.com/v1.0",
    });
}
