using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

public class ModernAuthOptionsBinderTests
{
    private static ModernAuthOptions Bind(string json)
    {
        var options = new ModernAuthOptions();
        ModernAuthOptionsBinder.Bind(TestConfiguration.FromJson(json).GetSection(ModernAuthOptions.SectionName), options);
        return options;
    }

    [Fact]
    public void Bind_EveryKnownKey_ReadsItsValue()
    {
        var options = Bind("""
            { "XCallyModernAuth": {
                "CloudProviders": {
                  "contoso": {
                    "Service": "MicrosoftAzure", "Type": "Office365",
                    "TenantId": "contoso.onmicrosoft.com", "ClientId": "c3a9e2f1-6d4b-4a7e-8f05-1b2c3d4e5f60",
                    "ClientSecret": "value", "SecretExpiresOn": "2030-06-30",
                    "Cloud": "China", "Flow": "Delegated", "RedirectUri": "http://localhost:5000/signin",
                    "Scopes": [ "https://partner.outlook.cn/IMAP.AccessAsUser.All", "offline_access" ],
                    "AuthorityHost": "https://127.0.0.1:5001", "AllowNonMicrosoftAuthority": true
                  },
                  "fabrikam": {
                    "Certificate": { "Thumbprint": "AB12", "StoreLocation": "LocalMachine", "StoreName": "Root", "SendX5C": "true", "Path": "a.pfx", "Password": "p", "Base64": "QQ==" }
                  }
                },
                "EmailAccounts": [
                  { "Address": "sales@contoso.com", "UserName": "shared@contoso.com", "CloudProvider": "contoso",
                    "Imap": { "Host": "imap.example.com", "Port": 1993, "TlsMode": "Implicit" },
                    "Pop3": { "Enabled": false },
                    "Smtp": { "TlsMode": "StartTls", "Port": "2587" } }
                ]
            } }
            """);

        Assert.Empty(options.BindingErrors);
        Assert.Empty(options.UnknownKeys);
        Assert.Equal(ModernAuthOptions.SectionName, options.ConfigurationPath);
        var contoso = options.CloudProviders["CONTOSO"];
        Assert.Equal("contoso.onmicrosoft.com", contoso.TenantId);
        Assert.Equal("c3a9e2f1-6d4b-4a7e-8f05-1b2c3d4e5f60", contoso.ClientId);
        Assert.Equal("value", contoso.ClientSecret);
        Assert.Equal(new DateTimeOffset(2030, 6, 30, 0, 0, 0, TimeSpan.Zero), contoso.SecretExpiresOn);
        Assert.Equal(CloudEnvironment.China, contoso.Cloud);
        Assert.Equal(AuthFlow.Delegated, contoso.Flow);
        Assert.Equal("http://localhost:5000/signin", contoso.RedirectUri);
        Assert.Equal(["https://partner.outlook.cn/IMAP.AccessAsUser.All", "offline_access"], contoso.Scopes);
        Assert.Equal("https://127.0.0.1:5001", contoso.AuthorityHost);
        Assert.True(contoso.AllowNonMicrosoftAuthority);
        Assert.Equal("XCallyModernAuth:CloudProviders:contoso", contoso.ConfigurationPath);

        var certificate = options.CloudProviders["fabrikam"].Certificate!;
        Assert.Equal(("AB12", StoreLocation.LocalMachine, StoreName.Root, true), (certificate.Thumbprint, certificate.StoreLocation, certificate.StoreName, certificate.SendX5C));
        Assert.Equal(("a.pfx", "p", "QQ=="), (certificate.Path, certificate.Password, certificate.Base64));

        var account = Assert.Single(options.EmailAccounts);
        Assert.Equal(("sales@contoso.com", "shared@contoso.com", "contoso"), (account.Address, account.UserName, account.CloudProvider));
        Assert.Equal(("imap.example.com", 1993, MailTlsMode.Implicit), (account.Imap.Host, account.Imap.Port, account.Imap.TlsMode));
        Assert.False(account.Pop3.Enabled);
        Assert.Equal((2587, MailTlsMode.StartTls), (account.Smtp.Port, account.Smtp.TlsMode));
        Assert.Equal("XCallyModernAuth:EmailAccounts:0", account.ConfigurationPath);
    }

    [Theory]
    [InlineData("Microsoft Azure", "Outlook365", "usgovernment")]
    [InlineData("microsoft-azure", "office365", "UsGovernment")]
    [InlineData("MICROSOFTAZURE", "Outlook 365", "AzureUsGovernment")]
    public void Bind_EnumNamesAndAliases_AcceptedWhateverTheCase(string service, string type, string cloud)
    {
        var options = Bind($$"""{ "XCallyModernAuth": { "CloudProviders": { "contoso": { "Service": "{{service}}", "Type": "{{type}}", "Cloud": "{{cloud}}" } } } }""");

        Assert.Empty(options.BindingErrors);
        var provider = options.CloudProviders["contoso"];
        Assert.Equal((CloudService.MicrosoftAzure, CloudProviderType.Office365, CloudEnvironment.UsGovernment), (provider.Service, provider.Type, provider.Cloud));
    }

    [Fact]
    public void Bind_SeveralBadValues_RecordsEveryOneWithItsPath()
    {
        var options = Bind("""
            { "XCallyModernAuth": {
                "CloudProviders": { "contoso": { "Cloud": "Mars", "Flow": "Sideways", "Type": "Gmail", "SecretExpiresOn": "someday", "AllowNonMicrosoftAuthority": "yes",
                                                 "Certificate": { "StoreLocation": "Desk" } } },
                "EmailAccounts": [ { "Address": "a@contoso.com", "Imap": { "Port": "nine", "TlsMode": "Ssl3", "Enabled": "maybe" } } ]
            } }
            """);

        Assert.Equal(9, options.BindingErrors.Count);
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:Cloud: 'Mars' is not a cloud; use Global, UsGovernment, UsGovernmentDoD or China", options.BindingErrors);
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:CloudProviders:contoso:Flow: 'Sideways' is not a flow; use AppOnly or Delegated", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:CloudProviders:contoso:Type: 'Gmail' is not a cloud provider type; use Office365", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:CloudProviders:contoso:SecretExpiresOn: 'someday' is not a date", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:CloudProviders:contoso:AllowNonMicrosoftAuthority: 'yes' is not a boolean", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:CloudProviders:contoso:Certificate:StoreLocation: 'Desk' is not a certificate store location", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:EmailAccounts:0:Imap:Port: 'nine' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:EmailAccounts:0:Imap:TlsMode: 'Ssl3' is not a TLS mode; use Implicit, StartTls or None", StringComparison.Ordinal));
        Assert.Contains(options.BindingErrors, e => e.StartsWith("XCallyModernAuth:EmailAccounts:0:Imap:Enabled: 'maybe' is not a boolean", StringComparison.Ordinal));
        Assert.Equal(CloudEnvironment.Global, options.CloudProviders["contoso"].Cloud);
    }

    [Fact]
    public void Bind_NumberForEnum_RefusedRatherThanUndefinedValue()
    {
        var options = Bind("""{ "XCallyModernAuth": { "CloudProviders": { "contoso": { "Cloud": "7" } } } }""");

        Assert.Equal(["XCallyModernAuth:CloudProviders:contoso:Cloud: '7' is not a cloud; use Global, UsGovernment, UsGovernmentDoD or China"], options.BindingErrors);
    }

    [Fact]
    public void Bind_UnknownKeys_RecordedAsUnknownNotAsErrors()
    {
        var options = Bind("""{ "XCallyModernAuth": { "Extra": 1, "CloudProviders": { "contoso": { "ClientSercet": "x", "Certificate": { "Pasword": "y" } } } } }""");

        Assert.Empty(options.BindingErrors);
        Assert.Equal(
            ["XCallyModernAuth:CloudProviders:contoso:Certificate:Pasword", "XCallyModernAuth:CloudProviders:contoso:ClientSercet", "XCallyModernAuth:Extra"],
            options.UnknownKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bind_ScopesAsOneValue_SplitOnSpacesAndCommas()
    {
        var options = Bind("""{ "XCallyModernAuth": { "CloudProviders": { "contoso": { "Scopes": "https://outlook.office.com/IMAP.AccessAsUser.All, offline_access" } } } }""");

        Assert.Equal(["https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"], options.CloudProviders["contoso"].Scopes);
    }

    [Fact]
    public void Bind_EmailAccountsKeyedByAddress_KeyBecomesAddress()
    {
        var options = Bind("""{ "XCallyModernAuth": { "EmailAccounts": { "sales@contoso.com": { "CloudProvider": "contoso" } } } }""");

        var account = Assert.Single(options.EmailAccounts);
        Assert.Equal(("sales@contoso.com", "contoso"), (account.Address, account.CloudProvider));
    }

    [Fact]
    public void Bind_EmptyValues_TreatedAsUnsetExceptHost()
    {
        var options = Bind("""{ "XCallyModernAuth": { "CloudProviders": { "contoso": { "ClientSecret": "", "Cloud": "" } }, "EmailAccounts": [ { "Address": "a@contoso.com", "Smtp": { "Host": "" } } ] } }""");

        Assert.Empty(options.BindingErrors);
        Assert.Null(options.CloudProviders["contoso"].ClientSecret);
        Assert.Equal(string.Empty, options.EmailAccounts[0].Smtp.Host);
    }
}
