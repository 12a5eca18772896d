namespace XCally.ModernAuth.Samples.Web.Administrators;

/// <summary>The <c>Admin</c> section: who may use the console.</summary>
public sealed class AdministratorOptions
{
    public const string SectionName = "Admin";

    /// <summary>The local administrator's user name. Default <c>admin</c>.</summary>
    public string UserName { get; set; } = "admin";

    /// <summary>
    /// The local administrator's password, from a secret store or an environment variable (<c>Admin__Password</c>): hashed into the
    /// database at start, replacing the one set before. When unset, the password is set on first run at <c>/setup</c>, which only
    /// answers requests from this machine (loopback).
    /// </summary>
    public string? Password { get; set; }

    /// <summary>Sign-in with Microsoft Entra ID (OpenID Connect) instead of, or beside, the local administrator.</summary>
    public EntraSignInOptions OpenIdConnect { get; set; } = new();
}

/// <summary>The <c>Admin:OpenIdConnect</c> section: administrators sign in with their Entra ID account.</summary>
public sealed class EntraSignInOptions
{
    /// <summary>The Directory (tenant) ID of the administrators' tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>The Application (client) ID of the console's own app registration (a Web platform with redirect URI <c>{console}/signin-oidc</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>That registration's client secret (from a secret store).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The sign-in host; Microsoft's global one by default.</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The app role (<c>roles</c> claim) an administrator must hold. Default <c>XCally.Administrator</c>.</summary>
    public string RequiredRole { get; set; } = "XCally.Administrator";

    /// <summary>User principal names let in without the role (for a first set-up); empty by default.</summary>
    public IList<string> AllowedUsers { get; } = new List<string>();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(ClientId);
}
