namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>
/// A row of the <c>CloudProviders</c> table: a Microsoft Azure (Office 365) or Salesforce provider. Secrets and passwords are held
/// only as Data Protection ciphertext (the <c>Protected*</c> columns), never in clear.
/// </summary>
public sealed class CloudProviderRecord
{
    public int Id { get; set; }

    /// <summary>The name email accounts and Salesforce handlers refer to.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The name in upper case, unique: names are case-insensitive on every database.</summary>
    public string NormalizedName { get; set; } = string.Empty;

    /// <summary>The cloud service: Microsoft Azure (Office 365, shown as Outlook365) or Salesforce.</summary>
    public ProviderService Service { get; set; } = ProviderService.MicrosoftAzure;

    // Microsoft Azure (Office 365).
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public CloudEnvironment Cloud { get; set; } = CloudEnvironment.Global;

    public AuthFlow Flow { get; set; } = AuthFlow.AppOnly;

    public string? RedirectUri { get; set; }

    public string? AuthorityHost { get; set; }

    public bool AllowNonMicrosoftAuthority { get; set; }

    /// <summary>Which credential is set: a client secret or a certificate (Azure); the flow decides for Salesforce.</summary>
    public ProviderCredentialKind CredentialKind { get; set; } = ProviderCredentialKind.ClientSecret;

    /// <summary>The client secret (Azure) or Consumer Secret (Salesforce), protected.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>When the secret was last set.</summary>
    public DateTimeOffset? SecretSetOn { get; set; }

    /// <summary>When the secret expires, as the portal showed it.</summary>
    public DateTimeOffset? SecretExpiresOn { get; set; }

    /// <summary>The PFX (certificate and private key), base64, protected.</summary>
    public string? ProtectedCertificate { get; set; }

    /// <summary>The PFX's password, protected.</summary>
    public string? ProtectedCertificatePassword { get; set; }

    public string? CertificateThumbprint { get; set; }

    public string? CertificateSubject { get; set; }

    public DateTimeOffset? CertificateExpiresOn { get; set; }

    // Salesforce.
    public Salesforce.SalesforceAppType SalesforceAppType { get; set; }

    public Salesforce.SalesforceFlow SalesforceFlow { get; set; }

    public string? LoginUrl { get; set; }

    public string? ConsumerKey { get; set; }

    public string? Username { get; set; }

    /// <summary>The username-password flow's password, protected.</summary>
    public string? ProtectedPassword { get; set; }

    /// <summary>The username-password flow's security token, protected.</summary>
    public string? ProtectedSecurityToken { get; set; }

    public bool AllowUsernamePasswordFlow { get; set; }

    public bool AllowNonSalesforceHost { get; set; }

    public int SessionTimeoutMinutes { get; set; } = 120;

    /// <summary>Whether the row was written by the demo set-up (rewritten at each start on the emulator).</summary>
    public bool IsDemo { get; set; }

    /// <summary>Incremented on every change; a concurrency token, so two administrators' edits never silently overwrite each other.</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedOn { get; set; }

    public List<EmailAccountRecord> Accounts { get; set; } = [];
}

/// <summary>The cloud services the console configures (the product's "Service" list).</summary>
public enum ProviderService
{
    MicrosoftAzure = 0,
    Salesforce = 1,
}

/// <summary>The credential of a Microsoft Azure provider.</summary>
public enum ProviderCredentialKind
{
    ClientSecret = 0,
    Certificate = 1,
}
