using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The checks of one cloud provider, shared by start-up validation and <see cref="CloudProvider.Create"/>. A secret or password
/// never appears in a message.
/// </summary>
internal static class CloudProviderOptionsValidator
{
    private const string CopyTenantId = "copy the Directory (tenant) ID from the app registration's Overview page";
    private const string CopyClientId = "copy the Application (client) ID from the app registration's Overview page";

    private static readonly string[] MultiTenantAliases = ["common", "organizations", "consumers"];
    private static readonly string[] OpenIdScopes = ["openid", "profile", "email", "offline_access"];
    private static readonly string[] GraphHosts = ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"];

    /// <summary>Validates; when a certificate is configured and valid it is loaded and returned, and the caller owns it.</summary>
    public static X509Certificate2? Validate(string path, CloudProviderOptions options, DateTimeOffset now, ValidationProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnumRules.Defined(options.Service, ConfigurationEnums.Service, ValidationProblems.Path(path, "Service"), problems);
        EnumRules.Defined(options.Type, ConfigurationEnums.ProviderType, ValidationProblems.Path(path, "Type"), problems);
        EnumRules.Defined(options.Cloud, ConfigurationEnums.Cloud, ValidationProblems.Path(path, "Cloud"), problems);
        EnumRules.Defined(options.Flow, ConfigurationEnums.Flow, ValidationProblems.Path(path, "Flow"), problems);
        ValidateTenant(ValidationProblems.Path(path, "TenantId"), options.TenantId, options.Flow, problems);
        ValidateClientId(ValidationProblems.Path(path, "ClientId"), options.ClientId, problems);
        ValidateAuthorityHost(ValidationProblems.Path(path, "AuthorityHost"), options, problems);
        ValidateRedirectUri(ValidationProblems.Path(path, "RedirectUri"), options, problems);
        ValidateScopes(ValidationProblems.Path(path, "Scopes"), options, problems);
        GraphScopeRules.Validate(ValidationProblems.Path(path, "GraphScopes"), options, problems);
        return ValidateCredential(path, options, now, problems);
    }

    private static void ValidateTenant(string path, string? tenantId, AuthFlow flow, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(tenantId))
        {
            problems.Add(path, $"missing; {CopyTenantId}");
        }
        else if (MultiTenantAliases.Contains(tenantId.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            // The token must come from the mailboxes' own tenant for both flows: the sign-in and token path refuse these too.
            problems.Add(path, flow == AuthFlow.AppOnly
                ? $"'{tenantId}' cannot be used with the app-only flow, because client credentials need a tenant; {CopyTenantId}"
                : $"'{tenantId}' is a multi-tenant alias, and the mailboxes' tokens must come from their own tenant; {CopyTenantId} (for mailboxes in several tenants, add one cloud provider per tenant)");
        }
        else if (!Guid.TryParse(tenantId, out _) && !IsDomain(tenantId))
        {
            problems.Add(path, $"'{tenantId}' is not a GUID or a domain; {CopyTenantId}");
        }
    }

    private static bool IsDomain(string text) =>
        text.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(text) == UriHostNameType.Dns;

    private static void ValidateClientId(string path, string? clientId, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            problems.Add(path, $"missing; {CopyClientId}");
        }
        else if (!Guid.TryParse(clientId, out _))
        {
            problems.Add(path, $"'{clientId}' is not a GUID; {CopyClientId}");
        }
    }

    private static void ValidateAuthorityHost(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        if (options.AuthorityHost is null)
        {
            return;
        }

        if (!Uri.TryCreate(options.AuthorityHost, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            problems.Add(path, $"'{options.AuthorityHost}' is not an absolute URL such as https://login.microsoftonline.com; remove it to use the cloud's own sign-in host");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add(path, $"'{options.AuthorityHost}' does not use https; the credential must not cross a clear-text connection");
        }
        else if (!options.AllowNonMicrosoftAuthority && !CloudEnvironmentDefaults.IsMicrosoftAuthorityHost(uri.Host))
        {
            problems.Add(path, $"'{uri.Host}' is not a Microsoft sign-in host, and the credential would be sent to it; fix the host, or set AllowNonMicrosoftAuthority to true for an emulator or tests");
        }
    }

    private static void ValidateRedirectUri(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(options.RedirectUri))
        {
            if (options.Flow == AuthFlow.Delegated)
            {
                problems.Add(path, "missing; the Delegated flow needs the redirect URI registered under the app registration's Authentication page");
            }
        }
        else if (!Uri.TryCreate(options.RedirectUri, UriKind.Absolute, out var uri))
        {
            problems.Add(path, $"'{options.RedirectUri}' is not an absolute URI; copy it from the app registration's Authentication page");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && MailSecurity.IsLoopback(uri.Host)))
        {
            // Entra ID accepts http only for localhost (and loopback addresses); the authorization code would cross in clear text.
            problems.Add(path, $"'{options.RedirectUri}' must use https (http is accepted only for localhost or a loopback address, as Entra ID requires); register and set an https:// address");
        }
    }

    private static void ValidateScopes(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        if (options.Scopes.Count == 0)
        {
            return;
        }

        var cloud = Enum.IsDefined(options.Cloud) ? options.Cloud : CloudEnvironment.Global;
        var resource = options.Flow == AuthFlow.AppOnly
            ? CloudEnvironmentDefaults.GetAppOnlyResource(cloud)
            : CloudEnvironmentDefaults.GetDelegatedResource(cloud);
        var defaultScopes = 0;
        for (var i = 0; i < options.Scopes.Count; i++)
        {
            var scope = options.Scopes[i]?.Trim();
            var scopePath = ValidationProblems.Path(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (string.IsNullOrEmpty(scope))
            {
                problems.Add(scopePath, "empty; remove it");
                continue;
            }

            if (scope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
            {
                defaultScopes++;
            }

            if (Uri.TryCreate(scope, UriKind.Absolute, out var uri) && GraphHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(scopePath, $"'{scope}' is a Microsoft Graph scope, whose tokens the mail servers refuse; use {resource}{uri.AbsolutePath}");
            }
            else if (!scope.Contains("://", StringComparison.Ordinal) && !OpenIdScopes.Contains(scope, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(scopePath, $"'{scope}' has no resource, so the identity platform reads it as a Microsoft Graph scope, whose tokens the mail servers refuse; use {resource}/{scope}");
            }
        }

        if (defaultScopes > 0 && options.Scopes.Count > 1)
        {
            problems.Add(path, "a '/.default' scope is mixed with other scopes; a /.default scope must be requested alone");
        }
        else if (options.Flow == AuthFlow.AppOnly && defaultScopes == 0)
        {
            problems.Add(path, $"the app-only flow needs the single scope {resource}/.default; remove Scopes to use it");
        }
    }

    private static X509Certificate2? ValidateCredential(string path, CloudProviderOptions options, DateTimeOffset now, ValidationProblems problems)
    {
        List<string> credentials = [];
        if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            credentials.Add(nameof(options.ClientSecret));
        }

        if (options.Certificate is not null)
        {
            credentials.Add(nameof(options.Certificate));
        }

        if (options.ClientAssertion is not null)
        {
            credentials.Add(nameof(options.ClientAssertion));
        }

        if (credentials.Count == 0)
        {
            problems.Add(path, "no credential; set ClientSecret (the secret's Value, not its Secret ID) or Certificate, or ClientAssertion in code");
            return null;
        }

        if (credentials.Count > 1)
        {
            problems.Add(path, $"{string.Join(" and ", credentials)} are all set; set exactly one credential");
            return null;
        }

        if (credentials[0] == nameof(options.ClientSecret) && options.SecretExpiresOn is { } expiresOn && expiresOn <= now)
        {
            problems.Add(
                ValidationProblems.Path(path, "SecretExpiresOn"),
                $"the client secret expired on {expiresOn.UtcDateTime:yyyy-MM-dd}; add a new one under the app registration's Certificates & secrets and update ClientSecret and SecretExpiresOn");
        }

        return credentials[0] == nameof(options.Certificate)
            ? CertificateOptionsValidator.Load(ValidationProblems.Path(path, "Certificate"), options.Certificate!, now, problems)
            : null;
    }
}
