namespace XCally.ModernAuth;

/// <summary>The hosts and token resources of each <see cref="CloudEnvironment"/>, as published by Microsoft.</summary>
public static class CloudEnvironmentDefaults
{
    /// <summary>The sign-in (authority) host of a cloud, e.g. <c>https://login.microsoftonline.com</c>.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The authority host, without a tenant.</returns>
    public static Uri GetAuthorityHost(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => new Uri("https://login.microsoftonline.com"),
        CloudEnvironment.UsGovernment or CloudEnvironment.UsGovernmentDoD => new Uri("https://login.microsoftonline.us"),
        CloudEnvironment.China => new Uri("https://login.chinacloudapi.cn"),
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>The Exchange Online resource that app-only tokens are requested for; the scope is this followed by <c>/.default</c>.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The resource, e.g. <c>https://outlook.office365.com</c>.</returns>
    public static string GetAppOnlyResource(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "https://outlook.office365.com",
        CloudEnvironment.UsGovernment or CloudEnvironment.UsGovernmentDoD => "https://outlook.office365.us",
        CloudEnvironment.China => "https://partner.outlook.cn",
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    /// <summary>The Exchange Online resource that delegated scopes (<c>IMAP.AccessAsUser.All</c>, ...) are prefixed with.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>The resource, e.g. <c>https://outlook.office.com</c>.</returns>
    public static string GetDelegatedResource(CloudEnvironment cloud) => cloud switch
    {
        CloudEnvironment.Global => "https://outlook.office.com",
        CloudEnvironment.UsGovernment or CloudEnvironment.UsGovernmentDoD => "https://outlook.office365.us",
        CloudEnvironment.China => "https://partner.outlook.cn",
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
            CloudEnvironment.Global => ("outlook.office365.com", "smtp.office365.com"),
            CloudEnvironment.UsGovernment => ("outlook.office365.us", "smtp.office365.us"),
            CloudEnvironment.UsGovernmentDoD => ("outlook-dod.office365.us", "outlook-dod.office365.us"),
            CloudEnvironment.China => ("partner.outlook.cn", "partner.outlook.cn"),
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

    /// <summary>Whether a host is one of Microsoft's sign-in hosts, the only ones a client secret is sent to unless a provider opts out.</summary>
    /// <param name="host">A host name.</param>
    /// <returns><see langword="true"/> for the sign-in hosts of the four clouds.</returns>
    public static bool IsMicrosoftAuthorityHost(string host) =>
        string.Equals(host, "login.microsoftonline.com", StringComparison.OrdinalIgnoreCase)
        || string.Equals(host, "login.microsoftonline.us", StringComparison.OrdinalIgnoreCase)
        || string.Equals(host, "login.chinacloudapi.cn", StringComparison.OrdinalIgnoreCase)
        || string.Equals(host, "login.microsoft.com", StringComparison.OrdinalIgnoreCase);
}
