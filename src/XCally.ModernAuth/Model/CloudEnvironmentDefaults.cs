namespace XCally.ModernAuth;

/// <summary>The hosts and token resources of each <see cref="CloudEnvironment"/>, as published by Microsoft.</summary>
/// <remarks>
/// Sources, cited beside each value:
/// <list type="bullet">
/// <item>[Graph] Microsoft Graph national cloud deployments, https://learn.microsoft.com/graph/deployments (sign-in hosts per cloud;
/// GCC High uses graph.microsoft.us, DoD dod-graph.microsoft.us).</item>
/// <item>[GCCH] Office 365 U.S. Government GCC High endpoints, https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints
/// (Exchange Online: outlook.office365.us, smtp.office365.us).</item>
/// <item>[DoD] Office 365 U.S. Government DoD endpoints, https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints
/// (Exchange Online: outlook-dod.office365.us for IMAP4, POP3 and SMTP); the Exchange Online resource of DoD tenants is
/// https://outlook-dod.office365.us, as Microsoft's own Exchange support scripts (CSS-Exchange, "USGovernmentL5") and
/// Connect-ExchangeOnline -ExchangeEnvironmentName O365USGovDoD use it.</item>
/// <item>[21V] Microsoft 365 operated by 21Vianet endpoints, https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges-21vianet
/// and the Office 365 API endpoints for China, https://learn.microsoft.com/previous-versions/office/office-365-api/api/o365-china-endpoints
/// (resource https://partner.outlook.cn; IMAP and POP3 partner.outlook.cn, SMTP submission smtp.partner.outlook.cn).</item>
/// <item>[FIC] Microsoft Entra workload identity federation, "Configure an application to trust a managed identity",
/// https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity (the audience of a
/// managed identity's token per cloud), as MSAL.NET's KnownCloudConfiguration also lists them.</item>
/// <item>[Aliases] Microsoft Entra instance discovery (https://login.microsoftonline.com/common/discovery/instance, which MSAL reads):
/// the aliases of each cloud's sign-in host.</item>
/// </list>
/// </remarks>
public static class CloudEnvironmentDefaults
{
    // [Aliases]: every host the identity platform itself names for a cloud; a credential may be sent to these only.
    private static readonly string[] MicrosoftAuthorityHosts =
    [
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net", // Global
        "login.microsoftonline.us", "login.usgovcloudapi.net", // US Government (GCC High and DoD)
        "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", // China (21Vianet)
    ];

    /// <summary>The sign-in (authority) host of a cloud, e.g. <c>https://login.microsoftonline.com</c>.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The authority host, without a tenant.</returns>
    public static Uri GetAuthorityHost(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => new Uri("https://login.microsoftonline.com"), // [Graph]
        CloudEnvironment.UsGovernment or CloudEnvironment.UsGovernmentDoD => new Uri("https://login.microsoftonline.us"), // [Graph]
        CloudEnvironment.China => new Uri("https://login.chinacloudapi.cn"), // [Graph]; login.partner.microsoftonline.cn is its alias [Aliases]
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>The Exchange Online resource that app-only tokens are requested for; the scope is this followed by <c>/.default</c>.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The resource, e.g. <c>https://outlook.office365.com</c>.</returns>
    public static string GetAppOnlyResource(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "https://outlook.office365.com", // Microsoft's IMAP/POP/SMTP OAuth page (client credentials scope)
        CloudEnvironment.UsGovernment => "https://outlook.office365.us", // [GCCH]
        CloudEnvironment.UsGovernmentDoD => "https://outlook-dod.office365.us", // [DoD]: its own host, not GCC High's
        CloudEnvironment.China => "https://partner.outlook.cn", // [21V]
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>The Exchange Online resource that delegated scopes (<c>IMAP.AccessAsUser.All</c>, ...) are prefixed with.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The resource, e.g. <c>https://outlook.office.com</c>.</returns>
    public static string GetDelegatedResource(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "https://outlook.office.com", // Microsoft's IMAP/POP/SMTP OAuth page (delegated scopes)
        CloudEnvironment.UsGovernment => "https://outlook.office365.us", // [GCCH]
        CloudEnvironment.UsGovernmentDoD => "https://outlook-dod.office365.us", // [DoD]
        CloudEnvironment.China => "https://partner.outlook.cn", // [21V]
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>The scopes requested for a flow in a cloud when the provider does not override them.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <param name="flow">The flow.</param>
    /// <returns>For <see cref="AuthFlow.AppOnly"/> the single <c>/.default</c> scope; for <see cref="AuthFlow.Delegated"/> the IMAP, POP and SMTP scopes and <c>offline_access</c>.</returns>
    public static IReadOnlyList<string> GetDefaultScopes(CloudEnvironment cloud, AuthFlow flow)
    {
        if (flow == AuthFlow.AppOnly)
        {
            return [GetAppOnlyResource(cloud) + "/.default"];
        }

        var resource = GetDelegatedResource(cloud);
        return [resource + "/IMAP.AccessAsUser.All", resource + "/POP.AccessAsUser.All", resource + "/SMTP.Send", "offline_access"];
    }

    /// <summary>The Exchange Online endpoint of a protocol in a cloud.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <param name="protocol">The protocol.</param>
    /// <returns>IMAP 993 and POP3 995 with implicit TLS; SMTP submission 587 with STARTTLS.</returns>
    public static MailEndpoint GetMailEndpoint(CloudEnvironment cloud, MailProtocol protocol)
    {
        var (mailbox, submission) = cloud switch
        {
            CloudEnvironment.Global => ("outlook.office365.com", "smtp.office365.com"), // Microsoft's POP/IMAP/SMTP settings page
            CloudEnvironment.UsGovernment => ("outlook.office365.us", "smtp.office365.us"), // [GCCH]
            CloudEnvironment.UsGovernmentDoD => ("outlook-dod.office365.us", "outlook-dod.office365.us"), // [DoD]: one host for all three
            CloudEnvironment.China => ("partner.outlook.cn", "smtp.partner.outlook.cn"), // [21V]
            _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
        };

        return protocol switch
        {
            MailProtocol.Imap => new MailEndpoint(mailbox, 993, MailTlsMode.Implicit),
            MailProtocol.Pop3 => new MailEndpoint(mailbox, 995, MailTlsMode.Implicit),
            MailProtocol.Smtp => new MailEndpoint(submission, 587, MailTlsMode.StartTls),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
        };
    }

    /// <summary>
    /// The audience a managed identity's token must have to be the client assertion of a federated credential (the token
    /// exchange audience of the cloud), e.g. <c>api://AzureADTokenExchange</c>.
    /// </summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The audience.</returns>
    public static string GetTokenExchangeAudience(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "api://AzureADTokenExchange", // [FIC]
        CloudEnvironment.UsGovernment or CloudEnvironment.UsGovernmentDoD => "api://AzureADTokenExchangeUSGov", // [FIC]: Fairfax
        CloudEnvironment.China => "api://AzureADTokenExchangeChina", // [FIC]: Mooncake
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>
    /// Whether a host is one of Microsoft's sign-in hosts (or an alias the identity platform names for one), the only hosts a
    /// client secret is sent to unless a provider opts out.
    /// </summary>
    /// <param name="host">A host name.</param>
    /// <returns><see langword="true"/> for the sign-in hosts of the clouds and their aliases.</returns>
    public static bool IsMicrosoftAuthorityHost(string host) =>
        MicrosoftAuthorityHosts.Contains(host, StringComparer.OrdinalIgnoreCase);
}
