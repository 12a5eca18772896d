namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>A parsed <c>scope</c> parameter: OpenID Connect scopes, and the resource scopes with their one resource.</summary>
internal sealed class ScopeRequest
{
    /// <summary>The Exchange Online resources (per cloud) whose tokens the emulator issues.</summary>
    public static readonly IReadOnlySet<string> MailResources = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "https://outlook.office365.com",
        "https://outlook.office.com",
        "https://ps.outlook.com",
        "https://outlook.office365.us",
        "https://outlook-dod.office365.us",
        "https://partner.outlook.cn",
    };

    /// <summary>Entra's resource for scopes without a resource prefix.</summary>
    public const string GraphResource = "https://graph.microsoft.com";

    /// <summary>Microsoft Graph's resources (per cloud) whose tokens the emulator issues.</summary>
    public static readonly IReadOnlySet<string> GraphResources = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        GraphResource,
        "https://graph.microsoft.us",
        "https://dod-graph.microsoft.us",
        "https://microsoftgraph.chinacloudapi.cn",
    };

    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "email", "offline_access" };

    private ScopeRequest(string raw, IReadOnlyList<string> all, IReadOnlyList<string> oidc, IReadOnlyList<(string Resource, string Permission)> resourceScopes)
    {
        Raw = raw;
        All = all;
        Oidc = oidc;
        ResourceScopes = resourceScopes;
    }

    /// <summary>The parameter as sent.</summary>
    public string Raw { get; }

    /// <summary>Every scope sent.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The OpenID Connect scopes sent (<c>openid</c>, <c>profile</c>, <c>email</c>, <c>offline_access</c>).</summary>
    public IReadOnlyList<string> Oidc { get; }

    /// <summary>The resource scopes, split into resource and permission.</summary>
    public IReadOnlyList<(string Resource, string Permission)> ResourceScopes { get; }

    /// <summary>Whether <c>openid</c> was asked for (an ID token is returned).</summary>
    public bool WantsIdToken => Oidc.Contains("openid", StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <c>offline_access</c> was asked for (a refresh token is returned).</summary>
    public bool WantsRefreshToken => Oidc.Contains("offline_access", StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a resource (a token's audience) is Microsoft Graph's.</summary>
    public static bool IsGraphResource(string resource) => GraphResources.Contains(resource.TrimEnd('/'));

    public static ScopeRequest Parse(string? scope)
    {
        var all = (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var oidc = new List<string>();
        var resourceScopes = new List<(string, string)>();
        foreach (var item in all)
        {
            if (OidcScopes.Contains(item))
            {
                oidc.Add(item);
                continue;
            }

            var schemeEnd = item.IndexOf("://", StringComparison.Ordinal);
            var slash = schemeEnd < 0 ? -1 : item.LastIndexOf('/');
            resourceScopes.Add(slash > schemeEnd + 2 ? (item[..slash].TrimEnd('/'), item[(slash + 1)..]) : (GraphResource, item));
        }

        return new ScopeRequest(scope ?? string.Empty, all, oidc, resourceScopes);
    }

    /// <summary>Checks a client credentials scope: exactly one <c>{resource}/.default</c> naming a mail resource.</summary>
    /// <returns>The resource, or the error.</returns>
    public (string? Resource, StsError? Error) ForClientCredentials(string tenantId)
    {
        if (All.Count == 0)
        {
            return (null, StsErrors.MissingParameter("scope"));
        }

        if (All.Count != 1 || ResourceScopes.Count != 1 || ResourceScopes[0].Permission != ".default")
        {
            return (null, StsErrors.InvalidScope(Raw, "The client credentials flow takes a single '<resource>/.default' scope, not mixed with other scopes."));
        }

        return CheckResource(ResourceScopes[0].Resource, tenantId);
    }

    /// <summary>Checks a delegated scope request against what the application may ask for.</summary>
    /// <returns>The resource and the granted permissions (without resource prefix), or the error.</returns>
    public (string? Resource, IReadOnlyList<string> Permissions, StsError? Error) ForDelegated(EmulatorApplication application)
    {
        var resources = ResourceScopes.Select(s => s.Resource).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (resources.Count != 1)
        {
            var why = resources.Count == 0
                ? "Ask for a mail permission such as 'https://outlook.office.com/IMAP.AccessAsUser.All'."
                : "The scopes name more than one resource.";
            return (null, [], StsErrors.InvalidScope(Raw, why));
        }

        var (resource, error) = CheckResource(resources[0], application.Tenant.TenantId);
        if (error is not null)
        {
            return (null, [], error);
        }

        var graph = IsGraphResource(resource!);
        var asked = ResourceScopes.Select(s => s.Permission).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (graph && asked.Any(EmulatorApplication.IsExchangePermission))
        {
            return (null, [], ExchangePermissionOnGraph());
        }

        var granted = new HashSet<string>(application.DelegatedScopes.Where(p => EmulatorApplication.IsExchangePermission(p) != graph), StringComparer.OrdinalIgnoreCase);
        var permissions = asked.Contains(".default") ? granted.Order(StringComparer.Ordinal).ToList() : asked;
        if (permissions.Count == 0 || permissions.Any(p => !granted.Contains(p)))
        {
            return (null, [], StsErrors.ConsentRequired(application));
        }

        return (resource, permissions, null);
    }

    /// <summary>
    /// Checks the scopes of an authorization request, which may name several resources: the first is the token's, the others
    /// are consented to at the same time (MSAL's extra scopes to consent).
    /// </summary>
    /// <returns>The permissions consented to (without resource prefix), or the error.</returns>
    public (IReadOnlyList<string> Permissions, StsError? Error) ForConsent(EmulatorApplication application)
    {
        var permissions = new List<string>();
        foreach (var group in ResourceScopes.GroupBy(s => s.Resource, StringComparer.OrdinalIgnoreCase))
        {
            var single = new ScopeRequest(Raw, All, Oidc, [.. group]);
            var (_, granted, error) = single.ForDelegated(application);
            if (error is not null)
            {
                return ([], error);
            }

            permissions.AddRange(granted);
        }

        return permissions.Count == 0
            ? ([], StsErrors.InvalidScope(Raw, "Ask for a mail permission such as 'https://outlook.office.com/IMAP.AccessAsUser.All'."))
            : (permissions, null);
    }

    private (string? Resource, StsError? Error) CheckResource(string resource, string tenantId)
    {
        if (MailResources.Contains(resource) || IsGraphResource(resource))
        {
            return (resource, null);
        }

        return resource.Contains("graph.microsoft", StringComparison.OrdinalIgnoreCase)
            ? (null, ExchangePermissionOnGraph())
            : (null, StsErrors.ResourceNotFound(resource, tenantId));
    }

    private StsError ExchangePermissionOnGraph() =>
        StsErrors.InvalidScope(Raw, "IMAP, POP and SMTP permissions belong to Office 365 Exchange Online (https://outlook.office.com or https://outlook.office365.com), not Microsoft Graph.");
}
