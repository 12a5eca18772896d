using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Secrets;

namespace XCally.ModernAuth.Samples.Web.Stores;

/// <summary>
/// Turns rows into the SDK's options, decrypting secrets on the way, so that the stores and the pages' validation build providers
/// and accounts with exactly the SDK's own checks (<see cref="CloudProvider.Create"/>, <see cref="EmailAccount.Create"/>,
/// <see cref="SalesforceProvider.Create"/>).
/// </summary>
public sealed class RecordMapping(SecretProtector secrets)
{
    public CloudProvider ToCloudProvider(CloudProviderRecord record) => CloudProvider.Create(record.Name, ToOptions(record));

    public CloudProviderOptions ToOptions(CloudProviderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var options = new CloudProviderOptions
        {
            TenantId = record.TenantId,
            ClientId = record.ClientId,
            Cloud = record.Cloud,
            Flow = record.Flow,
            RedirectUri = record.RedirectUri,
            AuthorityHost = record.AuthorityHost,
            AllowNonMicrosoftAuthority = record.AllowNonMicrosoftAuthority,
        };
        if (record.CredentialKind == ProviderCredentialKind.Certificate && record.ProtectedCertificate is { } pfx)
        {
            options.Certificate = new CertificateOptions
            {
                Base64 = secrets.Unprotect(pfx, record.Name, "certificate"),
                Password = record.ProtectedCertificatePassword is { } password ? secrets.Unprotect(password, record.Name, "certificate password") : null,
            };
        }
        else if (record.CredentialKind == ProviderCredentialKind.ClientSecret && record.ProtectedSecret is { } secret)
        {
            options.ClientSecret = secrets.Unprotect(secret, record.Name, "client secret");
            options.SecretExpiresOn = record.SecretExpiresOn;
        }

        return options;
    }

    public SalesforceProvider ToSalesforceProvider(CloudProviderRecord record) => SalesforceProvider.Create(record.Name, ToSalesforceOptions(record));

    public SalesforceProviderOptions ToSalesforceOptions(CloudProviderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var options = new SalesforceProviderOptions
        {
            Type = record.SalesforceAppType,
            Flow = record.SalesforceFlow,
            LoginUrl = record.LoginUrl,
            ConsumerKey = record.ConsumerKey,
            Username = record.Username,
            AllowUsernamePasswordFlow = record.AllowUsernamePasswordFlow,
            AllowNonSalesforceHost = record.AllowNonSalesforceHost,
            SessionTimeout = TimeSpan.FromMinutes(record.SessionTimeoutMinutes),
            ConsumerSecret = record.ProtectedSecret is { } secret ? secrets.Unprotect(secret, record.Name, "Consumer Secret") : null,
            Password = record.ProtectedPassword is { } password ? secrets.Unprotect(password, record.Name, "password") : null,
            SecurityToken = record.ProtectedSecurityToken is { } token ? secrets.Unprotect(token, record.Name, "security token") : null,
        };
        if (record.ProtectedCertificate is { } pfx)
        {
            options.Certificate = new CertificateOptions
            {
                Base64 = secrets.Unprotect(pfx, record.Name, "certificate"),
                Password = record.ProtectedCertificatePassword is { } pfxPassword ? secrets.Unprotect(pfxPassword, record.Name, "certificate password") : null,
            };
        }

        return options;
    }

    public static EmailAccountOptions ToOptions(EmailAccountRecord record, string providerName)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new EmailAccountOptions
        {
            Address = record.Address,
            UserName = string.IsNullOrWhiteSpace(record.UserName) ? null : record.UserName,
            CloudProvider = providerName,
            Imap = ToOptions(record.Imap),
            Pop3 = ToOptions(record.Pop3),
            Smtp = ToOptions(record.Smtp),
        };
    }

    private static MailEndpointOptions ToOptions(MailEndpointRecord endpoint) => new()
    {
        Enabled = endpoint.Enabled,
        Host = string.IsNullOrWhiteSpace(endpoint.Host) ? null : endpoint.Host,
        Port = endpoint.Port,
        TlsMode = endpoint.TlsMode,
    };
}
