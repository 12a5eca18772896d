using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth;

/// <summary>
/// A configured cloud provider: an app registration in one Microsoft Entra tenant (service <see cref="CloudService.MicrosoftAzure"/>,
/// type <see cref="CloudProviderType.Office365"/>) with its credential. Email accounts are associated with it by <see cref="Name"/>.
/// Immutable and validated; <see cref="ToString"/> never shows a secret.
/// </summary>
/// <remarks>
/// Two providers are equal when every setting is (<see cref="Equals(CloudProvider?)"/>): the SDK keeps one MSAL client and one
/// cached token per distinct provider, so a store may build a new instance on every lookup.
/// </remarks>
public sealed class CloudProvider : IEquatable<CloudProvider>
{
    internal CloudProvider(
        string name,
        CloudService service,
        CloudProviderType type,
        string tenantId,
        string clientId,
        ProviderCredential credential,
        CloudEnvironment cloud,
        AuthFlow flow,
        Uri? redirectUri,
        Uri authorityHost,
        bool allowNonMicrosoftAuthority,
        IReadOnlyList<string> scopes,
        IReadOnlyList<string>? graphScopes = null)
    {
        GraphScopes = graphScopes ?? GraphScopeRules.Resolve([], cloud, flow);
        Name = name;
        Service = service;
        Type = type;
        TenantId = tenantId;
        ClientId = clientId;
        Credential = credential;
        Cloud = cloud;
        Flow = flow;
        RedirectUri = redirectUri;
        AuthorityHost = authorityHost;
        AllowNonMicrosoftAuthority = allowNonMicrosoftAuthority;
        Scopes = scopes;
    }

    /// <summary>The provider's unique name, which email accounts refer to.</summary>
    public string Name { get; }

    /// <summary>The cloud service.</summary>
    public CloudService Service { get; }

    /// <summary>The provider type.</summary>
    public CloudProviderType Type { get; }

    /// <summary>The Directory (tenant) ID: a GUID or a verified domain such as <c>contoso.onmicrosoft.com</c>.</summary>
    public string TenantId { get; }

    /// <summary>The Application (client) ID of the app registration.</summary>
    public string ClientId { get; }

    /// <summary>The credential the application signs in with.</summary>
    public ProviderCredential Credential { get; }

    /// <summary>The national cloud of the tenant.</summary>
    public CloudEnvironment Cloud { get; }

    /// <summary>Whether tokens are app-only or on behalf of a signed-in mailbox user.</summary>
    public AuthFlow Flow { get; }

    /// <summary>The redirect URI registered under <em>Authentication</em>, for the delegated flow.</summary>
    public Uri? RedirectUri { get; }

    /// <summary>The sign-in host tokens are requested from; the cloud's own unless overridden.</summary>
    public Uri AuthorityHost { get; }

    /// <summary>Whether <see cref="AuthorityHost"/> may be a host other than Microsoft's (the emulator, tests).</summary>
    public bool AllowNonMicrosoftAuthority { get; }

    /// <summary>The scopes requested; see <see cref="CloudEnvironmentDefaults.GetDefaultScopes"/>.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>
    /// The scopes of this provider's Microsoft Graph tokens: <c>{graph host}/.default</c> for app-only providers, the delegated
    /// Graph permissions (<see cref="CloudProviderOptions.GraphScopes"/>, by default <c>Mail.ReadWrite</c>, <c>Mail.Send</c>) and
    /// <c>offline_access</c> for delegated ones.
    /// </summary>
    public IReadOnlyList<string> GraphScopes { get; }

    /// <summary>The authority URL, the authority host followed by the tenant.</summary>
    public Uri Authority => new(AuthorityHost, TenantId);

    /// <summary>Creates a validated provider from options, for hosts that keep providers in their own store.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="options">The provider's settings.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ModernAuthException">The options are invalid; the message lists every problem.</exception>
    public static CloudProvider Create(string name, CloudProviderOptions options) =>
        Internal.ModelFactory.CreateCloudProvider(name, options);

    /// <summary>
    /// Whether <paramref name="other"/> has the same settings: name, service, type, tenant, client, cloud, flow, redirect URI,
    /// authority host, scopes, Graph scopes and credential (a client secret by value and expiry, a certificate by thumbprint, a client
    /// assertion callback by reference: keep one delegate per provider).
    /// </summary>
    /// <param name="other">The other provider.</param>
    /// <returns><see langword="true"/> when the two would obtain the same tokens the same way.</returns>
    public bool Equals(CloudProvider? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Name, other.Name, StringComparison.Ordinal)
                && Service == other.Service
                && Type == other.Type
                && string.Equals(TenantId, other.TenantId, StringComparison.Ordinal)
                && string.Equals(ClientId, other.ClientId, StringComparison.Ordinal)
                && Cloud == other.Cloud
                && Flow == other.Flow
                && RedirectUri == other.RedirectUri
                && AuthorityHost == other.AuthorityHost
                && AllowNonMicrosoftAuthority == other.AllowNonMicrosoftAuthority
                && Scopes.SequenceEqual(other.Scopes, StringComparer.Ordinal)
                && GraphScopes.SequenceEqual(other.GraphScopes, StringComparer.Ordinal)
                && Credential.HasSameMaterial(other.Credential)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CloudProvider);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(Name),
        StringComparer.Ordinal.GetHashCode(TenantId),
        StringComparer.Ordinal.GetHashCode(ClientId),
        Cloud,
        Flow);

    /// <inheritdoc />
    public override string ToString() =>
        $"CloudProvider {Name} ({Service}/{Type}, {Cloud}, {Flow}, tenant {TenantId}, client {ClientId}, {Credential.Description})";
}
