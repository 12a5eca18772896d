using System.Globalization;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// What a token's claims say about why a mail server may refuse it for an account and protocol: the wrong audience (Microsoft
/// Graph instead of Exchange Online), no role or scope for the protocol (permission missing or admin consent not granted),
/// another tenant, another user, an expired token. Each finding names its fix. Never quotes the token.
/// </summary>
internal static class TokenDiagnosis
{
    // Exchange Online's first-party application id, which some tokens carry as their audience instead of its URL.
    private const string ExchangeOnlineAppId = "00000002-0000-0ff1-ce00-000000000000";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    private static readonly string[] GraphHosts = ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"];

    /// <summary>The fixed opening of each kind of finding; docs/troubleshooting.md has a row for each (a test holds them together).</summary>
    public static IReadOnlyList<string> FindingOpenings { get; } =
    [
        "it expired at",
        "its audience (aud) is",
        "it carries no",
        "its service principal's object id (oid) is",
        "its scopes (scp) are",
        "it belongs to",
        "it was issued by tenant",
    ];

    /// <summary>The findings for a token, one sentence each; empty when its claims show nothing wrong.</summary>
    /// <param name="claims">The token's claims.</param>
    /// <param name="account">The account it was sent for.</param>
    /// <param name="protocol">The protocol it was sent over.</param>
    /// <param name="provider">The account's cloud provider, when known (for the tenant, cloud and flow).</param>
    /// <param name="now">The wall clock.</param>
    /// <returns>The findings.</returns>
    public static IReadOnlyList<string> Findings(TokenClaims claims, EmailAccount account, MailProtocol protocol, CloudProvider? provider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(account);
        var findings = new List<string>();
        var cloud = provider?.Cloud ?? CloudEnvironment.Global;
        var appOnly = provider is null ? claims.IsAppOnly : provider.Flow == AuthFlow.AppOnly;

        if (claims.ExpiresOn is { } exp && exp <= now)
        {
            findings.Add($"it expired at {exp.UtcDateTime:u} ({Minutes(now - exp)} before it was refused, by this machine's clock): the token source handed out a stale token, or this machine's clock is wrong");
        }

        if (claims.Audiences.Count > 0 && !claims.Audiences.Any(aud => IsExchangeAudience(aud, cloud)))
        {
            var audience = string.Join(", ", claims.Audiences);
            var graph = claims.Audiences.Any(IsGraphAudience) ? " (Microsoft Graph)" : string.Empty;
            var scope = appOnly
                ? CloudEnvironmentDefaults.GetAppOnlyResource(cloud) + "/.default"
                : CloudEnvironmentDefaults.GetDelegatedResource(cloud) + "/" + UserPermission(protocol);
            findings.Add($"its audience (aud) is {audience}{graph}, not Exchange Online: request the scope {scope}");
        }

        if (appOnly)
        {
            var role = AppPermission(protocol);
            if (!claims.Roles.Contains(role, StringComparer.OrdinalIgnoreCase))
            {
                var has = claims.Roles.Count == 0 ? "no roles at all" : "roles " + string.Join(", ", claims.Roles);
                findings.Add($"it carries no {role} role ({has}): add the application permission {role} of Office 365 Exchange Online under API permissions and grant admin consent");
            }

            if (claims.ObjectId is { } oid)
            {
                findings.Add($"its service principal's object id (oid) is {oid}: that is the id `New-ServicePrincipal -ObjectId` and `Add-MailboxPermission -User` need");
            }
        }
        else
        {
            var scope = UserPermission(protocol);
            if (claims.Scopes.Count > 0 && !claims.Scopes.Contains(scope, StringComparer.OrdinalIgnoreCase))
            {
                findings.Add($"its scopes (scp) are {string.Join(' ', claims.Scopes)}, without {scope}: add the delegated permission {scope} of Office 365 Exchange Online, consent to it and sign the mailbox in again");
            }

            // A shared mailbox's token is its agent's (SignInUser); any other account's is its own user's.
            if (account.SignInUser is { } agent)
            {
                if (claims.UserPrincipalName is { } other && !string.Equals(other, agent, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add($"it belongs to {other}, not to {agent}, whose sign-in serves {account.Address} (SignInUser): sign in again as {agent}");
                }
            }
            else if (claims.UserPrincipalName is { } upn && !string.Equals(upn, account.UserName, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"it belongs to {upn}, not to {account.UserName}: sign the mailbox in as its own user, or, for a shared mailbox {upn} serves, set the account's SignInUser to {upn} and give {upn} Full Access to {account.Address}");
            }
        }

        if (provider is not null && Guid.TryParse(provider.TenantId, out var configured) && claims.TenantId is { } tid
            && Guid.TryParse(tid, out var issuer) && issuer != configured)
        {
            findings.Add($"it was issued by tenant {tid}, while cloud provider '{provider.Name}' names tenant {provider.TenantId}: use the mailboxes' own tenant");
        }

        return findings;
    }

    /// <summary>The findings as one sentence for an exception's advice, or <see langword="null"/> when there are none.</summary>
    /// <param name="findings">The findings.</param>
    /// <returns>The sentence.</returns>
    public static string? Describe(IReadOnlyList<string> findings) =>
        findings.Count == 0 ? null : "The token's claims: " + string.Join("; ", findings) + ".";

    /// <summary>The application permission (role) of a protocol.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>E.g. <c>IMAP.AccessAsApp</c>.</returns>
    public static string AppPermission(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => "IMAP.AccessAsApp",
        MailProtocol.Pop3 => "POP.AccessAsApp",
        _ => "SMTP.SendAsApp",
    };

    /// <summary>The delegated permission (scope) of a protocol.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>E.g. <c>IMAP.AccessAsUser.All</c>.</returns>
    public static string UserPermission(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => "IMAP.AccessAsUser.All",
        MailProtocol.Pop3 => "POP.AccessAsUser.All",
        _ => "SMTP.Send",
    };

    private static bool IsExchangeAudience(string audience, CloudEnvironment cloud)
    {
        if (string.Equals(audience, ExchangeOnlineAppId, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var trimmed = audience.TrimEnd('/');
        return string.Equals(trimmed, CloudEnvironmentDefaults.GetAppOnlyResource(cloud), StringComparison.OrdinalIgnoreCase)
            || string.Equals(trimmed, CloudEnvironmentDefaults.GetDelegatedResource(cloud), StringComparison.OrdinalIgnoreCase)
            || (cloud == CloudEnvironment.Global && string.Equals(trimmed, "https://ps.outlook.com", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsGraphAudience(string audience) =>
        string.Equals(audience, GraphAppId, StringComparison.OrdinalIgnoreCase)
        || (Uri.TryCreate(audience, UriKind.Absolute, out var uri) && GraphHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase));

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes < 1
            ? $"{Math.Max(0, (int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
            : $"{((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";
}
