using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Testing;

/// <summary>An app registration in the emulator: credentials, redirect URIs and granted permissions.</summary>
public sealed class EmulatorApplication
{
    /// <summary>The application permission for IMAP (<c>roles</c> claim).</summary>
    public const string ImapAccessAsApp = "IMAP.AccessAsApp";

    /// <summary>The application permission for POP3 (<c>roles</c> claim).</summary>
    public const string PopAccessAsApp = "POP.AccessAsApp";

    /// <summary>The application permission for SMTP (<c>roles</c> claim).</summary>
    public const string SmtpSendAsApp = "SMTP.SendAsApp";

    /// <summary>The delegated permission for IMAP (<c>scp</c> claim).</summary>
    public const string ImapAccessAsUser = "IMAP.AccessAsUser.All";

    /// <summary>The delegated permission for POP3 (<c>scp</c> claim).</summary>
    public const string PopAccessAsUser = "POP.AccessAsUser.All";

    /// <summary>The delegated permission for SMTP (<c>scp</c> claim).</summary>
    public const string SmtpSend = "SMTP.Send";

    /// <summary>Microsoft Graph's permission to send mail (application or delegated).</summary>
    public const string GraphMailSend = "Mail.Send";

    /// <summary>Microsoft Graph's permission to read and change mail (application or delegated).</summary>
    public const string GraphMailReadWrite = "Mail.ReadWrite";

    /// <summary>Microsoft Graph's delegated permission to send as or on behalf of a shared mailbox the user may send from.</summary>
    public const string GraphMailSendShared = "Mail.Send.Shared";

    /// <summary>Microsoft Graph's delegated permission to read and change a shared mailbox the user has access to.</summary>
    public const string GraphMailReadWriteShared = "Mail.ReadWrite.Shared";

    private static readonly HashSet<string> ExchangePermissions = new(StringComparer.OrdinalIgnoreCase)
    {
        ImapAccessAsApp, PopAccessAsApp, SmtpSendAsApp, ImapAccessAsUser, PopAccessAsUser, SmtpSend, "full_access_as_app", "EWS.AccessAsUser.All",
    };

    private volatile HashSet<string>? _graphMailboxScope;

    private readonly ConcurrentDictionary<string, EmulatorClientSecret> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _appRoles = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _delegatedScopes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _redirectUris = new(StringComparer.Ordinal);

    internal EmulatorApplication(EmulatorTenant tenant, string clientId, string displayName)
    {
        Tenant = tenant;
        ClientId = clientId;
        DisplayName = displayName;
        ObjectId = Guid.NewGuid().ToString();
        ServicePrincipalId = Guid.NewGuid().ToString();
    }

    /// <summary>The tenant the application is registered in.</summary>
    public EmulatorTenant Tenant { get; }

    /// <summary>The Application (client) ID.</summary>
    public string ClientId { get; }

    /// <summary>The display name.</summary>
    public string DisplayName { get; }

    /// <summary>The app registration's object id.</summary>
    public string ObjectId { get; }

    /// <summary>The Enterprise application's (service principal's) object id: the <c>oid</c> of app-only tokens.</summary>
    public string ServicePrincipalId { get; }

    /// <summary>The granted application permissions (admin consent given).</summary>
    public IEnumerable<string> AppRoles => _appRoles.Keys;

    /// <summary>The delegated permissions users may consent to.</summary>
    public IEnumerable<string> DelegatedScopes => _delegatedScopes.Keys;

    /// <summary>The redirect URIs registered under <em>Authentication</em>.</summary>
    public IEnumerable<string> RedirectUris => _redirectUris.Keys;

    /// <summary>The certificates uploaded under <em>Certificates &amp; secrets</em>.</summary>
    public IEnumerable<X509Certificate2> Certificates => _certificates.Values;

    /// <summary>
    /// The portal's <em>Allow public client flows</em>: when <see langword="true"/>, device code and refresh token requests
    /// may come without a client secret or assertion. Default <see langword="false"/> (such requests get AADSTS7000218).
    /// </summary>
    public bool AllowPublicClientFlows { get; set; }

    /// <summary>The client secrets, for the identity platform to match what a client sent.</summary>
    internal IEnumerable<EmulatorClientSecret> Secrets => _secrets.Values;

    /// <summary>Adds a client secret.</summary>
    /// <param name="value">The secret's value; a random one when omitted.</param>
    /// <param name="expiresOn">When it expires; never when omitted.</param>
    /// <returns>The secret, whose <see cref="EmulatorClientSecret.Value"/> the client must send.</returns>
    public EmulatorClientSecret AddSecret(string? value = null, DateTimeOffset? expiresOn = null)
    {
        var secret = new EmulatorClientSecret(value ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30)), expiresOn);
        _secrets[secret.Value] = secret;
        return secret;
    }

    /// <summary>Finds a secret by value.</summary>
    /// <param name="value">The value the client sent.</param>
    /// <returns>The secret, or <see langword="null"/>.</returns>
    public EmulatorClientSecret? FindSecret(string value) => _secrets.GetValueOrDefault(value);

    /// <summary>Removes a secret.</summary>
    /// <param name="secret">The secret.</param>
    public void RemoveSecret(EmulatorClientSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secrets.TryRemove(secret.Value, out _);
    }

    /// <summary>Uploads a certificate's public part, for client assertions signed with its key.</summary>
    /// <param name="certificate">The certificate.</param>
    public void AddCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificates[certificate.Thumbprint] = certificate;
    }

    /// <summary>Grants application permissions with admin consent, e.g. <see cref="ImapAccessAsApp"/>.</summary>
    /// <param name="roles">The permissions.</param>
    /// <returns>This application.</returns>
    public EmulatorApplication GrantAppRoles(params string[] roles)
    {
        foreach (var role in roles)
        {
            _appRoles[role] = 0;
        }

        return this;
    }

    /// <summary>Takes application permissions away.</summary>
    /// <param name="roles">The permissions.</param>
    /// <returns>This application.</returns>
    public EmulatorApplication RevokeAppRoles(params string[] roles)
    {
        foreach (var role in roles)
        {
            _appRoles.TryRemove(role, out _);
        }

        return this;
    }

    /// <summary>Adds delegated permissions, e.g. <see cref="ImapAccessAsUser"/>.</summary>
    /// <param name="scopes">The permissions.</param>
    /// <returns>This application.</returns>
    public EmulatorApplication AddDelegatedScopes(params string[] scopes)
    {
        foreach (var scope in scopes)
        {
            _delegatedScopes[scope] = 0;
        }

        return this;
    }

    /// <summary>Registers a redirect URI under <em>Authentication</em>.</summary>
    /// <param name="redirectUri">The redirect URI.</param>
    /// <returns>This application.</returns>
    public EmulatorApplication AddRedirectUri(string redirectUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(redirectUri);
        _redirectUris[redirectUri] = 0;
        return this;
    }

    /// <summary>
    /// Limits the application's app-only Microsoft Graph access to some mailboxes, like RBAC for Applications in Exchange Online
    /// (<c>New-ManagementScope</c> and <c>New-ManagementRoleAssignment -App … -CustomResourceScope</c>): other mailboxes answer
    /// 403 <c>ErrorAccessDenied</c>. IMAP, POP and SMTP are not affected, as in Exchange Online.
    /// </summary>
    /// <param name="mailboxAddresses">The mailboxes in the scope.</param>
    /// <returns>This application.</returns>
    public EmulatorApplication ScopeGraphAccessTo(params string[] mailboxAddresses)
    {
        ArgumentNullException.ThrowIfNull(mailboxAddresses);
        _graphMailboxScope = new HashSet<string>(mailboxAddresses, StringComparer.OrdinalIgnoreCase);
        return this;
    }

    /// <summary>Removes the scope set by <see cref="ScopeGraphAccessTo"/>: every mailbox of the tenant is reachable again.</summary>
    /// <returns>This application.</returns>
    public EmulatorApplication RemoveGraphAccessScope()
    {
        _graphMailboxScope = null;
        return this;
    }

    /// <summary>Whether an app-only Graph request of this application may reach a mailbox (no scope, or the mailbox in it).</summary>
    /// <param name="mailboxAddress">The mailbox.</param>
    /// <returns><see langword="true"/> when in scope.</returns>
    public bool GraphAccessCovers(string mailboxAddress) => _graphMailboxScope is not { } scope || scope.Contains(mailboxAddress);

    /// <summary>Whether a permission belongs to Office 365 Exchange Online (IMAP, POP, SMTP) rather than Microsoft Graph.</summary>
    /// <param name="permission">The permission, without resource prefix.</param>
    /// <returns><see langword="true"/> for Exchange Online's permissions.</returns>
    public static bool IsExchangePermission(string permission) => ExchangePermissions.Contains(permission);

    /// <summary>The granted application permissions of one resource: Exchange Online's for its audiences, the others for Graph.</summary>
    /// <param name="resource">The token's audience.</param>
    /// <returns>The roles.</returns>
    internal IEnumerable<string> AppRolesFor(string resource)
    {
        var graph = Identity.Internal.ScopeRequest.IsGraphResource(resource);
        return AppRoles.Where(role => IsExchangePermission(role) != graph);
    }

    /// <summary>Whether the application holds an application permission.</summary>
    /// <param name="role">The permission.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasAppRole(string role) => _appRoles.ContainsKey(role);

    /// <inheritdoc />
    public override string ToString() => $"{DisplayName} ({ClientId})";
}
