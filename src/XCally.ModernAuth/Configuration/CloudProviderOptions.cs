namespace XCally.ModernAuth;

/// <summary>The settings of one cloud provider; validated into a <see cref="CloudProvider"/>.</summary>
public sealed class CloudProviderOptions
{
    /// <summary>The cloud service. Default <see cref="CloudService.MicrosoftAzure"/>.</summary>
    public CloudService Service { get; set; } = CloudService.MicrosoftAzure;

    /// <summary>The provider type. Default <see cref="CloudProviderType.Office365"/> (configuration also accepts <c>Outlook365</c>).</summary>
    public CloudProviderType Type { get; set; } = CloudProviderType.Office365;

    /// <summary>The Directory (tenant) ID from the app registration's Overview: a GUID or a verified domain. Required.</summary>
    public string? TenantId { get; set; }

    /// <summary>The Application (client) ID from the app registration's Overview: a GUID. Required.</summary>
    public string? ClientId { get; set; }

    /// <summary>A client secret's <em>Value</em> (not its <em>Secret ID</em>). Set exactly one of this, <see cref="Certificate"/> or <see cref="ClientAssertion"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>When the client secret expires, if known; the SDK warns ahead of it.</summary>
    public DateTimeOffset? SecretExpiresOn { get; set; }

    /// <summary>A certificate credential.</summary>
    public CertificateOptions? Certificate { get; set; }

    /// <summary>A callback returning a signed client assertion (workload identity federation). Code-only.</summary>
    public Func<ClientAssertionRequest, CancellationToken, Task<string>>? ClientAssertion { get; set; }

    /// <summary>The tenant's national cloud. Default <see cref="CloudEnvironment.Global"/>.</summary>
    public CloudEnvironment Cloud { get; set; } = CloudEnvironment.Global;

    /// <summary>The flow. Default <see cref="AuthFlow.AppOnly"/>.</summary>
    public AuthFlow Flow { get; set; } = AuthFlow.AppOnly;

    /// <summary>The redirect URI registered under <em>Authentication</em>; required for <see cref="AuthFlow.Delegated"/>.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Scopes that replace the defaults of the cloud and flow; rarely needed.</summary>
    public IList<string> Scopes { get; } = new List<string>();

    /// <summary>
    /// The delegated Microsoft Graph permissions asked for when an account of this provider uses Graph, replacing the default
    /// <c>Mail.ReadWrite</c>, <c>Mail.Send</c> and <c>offline_access</c>; e.g. add <c>Mail.Send.Shared</c> and
    /// <c>Mail.ReadWrite.Shared</c> to send from and read shared mailboxes. A permission without a host gets the cloud's Graph
    /// host. App-only providers take none: their Graph token is <c>/.default</c> (the application permissions granted).
    /// </summary>
    public IList<string> GraphScopes { get; } = new List<string>();

    /// <summary>A sign-in host that replaces the cloud's own, e.g. an emulator's <c>https://127.0.0.1:5001</c>.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>
    /// Allows <see cref="AuthorityHost"/> to be a host other than Microsoft's. Off by default, so that a mistyped host never
    /// receives a client secret; turn it on only for an emulator or tests.
    /// </summary>
    public bool AllowNonMicrosoftAuthority { get; set; }

    /// <summary>The configuration path this provider was bound from, for validation messages; <see langword="null"/> when added in code.</summary>
    internal string? ConfigurationPath { get; set; }
}
