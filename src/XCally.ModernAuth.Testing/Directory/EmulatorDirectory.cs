using System.Collections.Concurrent;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// Everything the emulator knows, registered in code: tenants, applications with their credentials and granted permissions,
/// users, mailboxes, and which application may open which mailbox. Thread-safe; changes take effect at once.
/// </summary>
public sealed class EmulatorDirectory
{
    private readonly ConcurrentDictionary<string, EmulatorTenant> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EmulatorApplication> _applications = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EmulatorUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EmulatorMailbox> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EmulatorWorkloadIssuer> _externalIssuers = new(StringComparer.Ordinal);

    /// <summary>The registered tenants.</summary>
    public IEnumerable<EmulatorTenant> Tenants => _tenants.Values;

    /// <summary>The registered applications.</summary>
    public IEnumerable<EmulatorApplication> Applications => _applications.Values;

    /// <summary>The registered users.</summary>
    public IEnumerable<EmulatorUser> Users => _users.Values;

    /// <summary>The registered mailboxes.</summary>
    public IEnumerable<EmulatorMailbox> Mailboxes => _mailboxes.Values;

    /// <summary>Registers a tenant.</summary>
    /// <param name="domain">Its verified domain, e.g. <c>contoso.onmicrosoft.com</c>; it can be used instead of the tenant id.</param>
    /// <param name="tenantId">Its id; a new GUID when omitted.</param>
    /// <returns>The tenant.</returns>
    public EmulatorTenant AddTenant(string domain, string? tenantId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var tenant = new EmulatorTenant(tenantId ?? Guid.NewGuid().ToString(), domain);
        if (!_tenants.TryAdd(tenant.TenantId, tenant))
        {
            throw new InvalidOperationException($"Tenant {tenant.TenantId} is already registered.");
        }

        return tenant;
    }

    /// <summary>Registers an application (an app registration) in a tenant.</summary>
    /// <param name="tenant">The tenant it is registered in.</param>
    /// <param name="displayName">Its display name.</param>
    /// <param name="clientId">Its Application (client) ID; a new GUID when omitted.</param>
    /// <returns>The application, to add credentials and permissions to.</returns>
    public EmulatorApplication AddApplication(EmulatorTenant tenant, string displayName, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var application = new EmulatorApplication(tenant, clientId ?? Guid.NewGuid().ToString(), displayName);
        if (!_applications.TryAdd(application.ClientId, application))
        {
            throw new InvalidOperationException($"Application {application.ClientId} is already registered.");
        }

        return application;
    }

    /// <summary>
    /// Registers an Azure managed identity in a tenant: a service principal without credentials, whose tokens the identity platform's
    /// managed identity endpoint hands out (see <see cref="EmulatorIdentityServer.ManagedIdentity"/>). Grant it application permissions
    /// and mailbox access like an application.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="displayName">Its name, also the last segment of its resource id.</param>
    /// <param name="clientId">Its client (application) id; a new GUID when omitted.</param>
    /// <returns>The managed identity.</returns>
    public EmulatorApplication AddManagedIdentity(EmulatorTenant tenant, string displayName, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        var identity = new EmulatorApplication(tenant, clientId ?? Guid.NewGuid().ToString(), displayName)
        {
            IsManagedIdentity = true,
            ManagedIdentityResourceId = $"/subscriptions/{Guid.Empty}/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{displayName}",
        };
        if (!_applications.TryAdd(identity.ClientId, identity))
        {
            throw new InvalidOperationException($"Application {identity.ClientId} is already registered.");
        }

        return identity;
    }

    /// <summary>
    /// Trusts an external OpenID Connect issuer's signing key, as Entra ID reads a federated issuer's published keys (a Kubernetes
    /// cluster, GitHub Actions): its tokens can then be client assertions of applications with a matching federated credential.
    /// </summary>
    /// <param name="issuer">The issuer.</param>
    public void AddExternalIssuer(EmulatorWorkloadIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _externalIssuers[issuer.Issuer] = issuer;
    }

    /// <summary>Registers a user who can sign in for the delegated flow.</summary>
    /// <param name="tenant">The user's tenant.</param>
    /// <param name="userPrincipalName">The user's sign-in name, e.g. <c>agent@contoso.onmicrosoft.com</c>.</param>
    /// <param name="displayName">The user's display name.</param>
    /// <returns>The user.</returns>
    public EmulatorUser AddUser(EmulatorTenant tenant, string userPrincipalName, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrincipalName);
        var user = new EmulatorUser(tenant, userPrincipalName, Guid.NewGuid().ToString(), displayName ?? userPrincipalName);
        if (!_users.TryAdd(user.UserPrincipalName, user))
        {
            throw new InvalidOperationException($"User {user.UserPrincipalName} is already registered.");
        }

        return user;
    }

    /// <summary>Registers a mailbox. Its owner, if any, may open it with a delegated token.</summary>
    /// <param name="tenant">The mailbox's tenant.</param>
    /// <param name="address">The mailbox's address.</param>
    /// <param name="owner">The user whose mailbox it is; <see langword="null"/> for a shared mailbox.</param>
    /// <returns>The mailbox.</returns>
    public EmulatorMailbox AddMailbox(EmulatorTenant tenant, string address, EmulatorUser? owner = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var mailbox = new EmulatorMailbox(tenant, address, owner);
        if (!_mailboxes.TryAdd(mailbox.Address, mailbox))
        {
            throw new InvalidOperationException($"Mailbox {mailbox.Address} is already registered.");
        }

        return mailbox;
    }

    /// <summary>Finds a tenant by id or verified domain.</summary>
    /// <param name="tenantIdOrDomain">The tenant id or domain.</param>
    /// <returns>The tenant, or <see langword="null"/>.</returns>
    public EmulatorTenant? FindTenant(string tenantIdOrDomain) =>
        _tenants.TryGetValue(tenantIdOrDomain, out var tenant)
            ? tenant
            : _tenants.Values.FirstOrDefault(t => string.Equals(t.Domain, tenantIdOrDomain, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds an application by client id.</summary>
    /// <param name="clientId">The client id.</param>
    /// <returns>The application, or <see langword="null"/>.</returns>
    public EmulatorApplication? FindApplication(string clientId) => _applications.GetValueOrDefault(clientId);

    /// <summary>Finds a user by user principal name.</summary>
    /// <param name="userPrincipalName">The user principal name.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public EmulatorUser? FindUser(string userPrincipalName) => _users.GetValueOrDefault(userPrincipalName);

    /// <summary>Finds a user by object id (<c>oid</c>).</summary>
    /// <param name="objectId">The object id.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public EmulatorUser? FindUserByObjectId(string objectId) =>
        _users.Values.FirstOrDefault(u => string.Equals(u.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a trusted external issuer.</summary>
    /// <param name="issuer">The issuer (<c>iss</c>).</param>
    /// <returns>The issuer, or <see langword="null"/>.</returns>
    public EmulatorWorkloadIssuer? FindExternalIssuer(string issuer) => _externalIssuers.GetValueOrDefault(issuer);

    /// <summary>Finds a mailbox by address.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The mailbox, or <see langword="null"/>.</returns>
    public EmulatorMailbox? FindMailbox(string address) => _mailboxes.GetValueOrDefault(address);
}
