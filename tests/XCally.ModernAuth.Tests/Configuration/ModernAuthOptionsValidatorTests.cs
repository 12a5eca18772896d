using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

public class ModernAuthOptionsValidatorTests
{
    private const string Provider = "XCallyModernAuth:CloudProviders:contoso";
    private const string Account = "XCallyModernAuth:EmailAccounts:0";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<string> Problems(ModernAuthOptions options)
    {
        var result = new ModernAuthOptionsValidator(new FakeTimeProvider(Now)).Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    private static string SingleProblem(Action<ModernAuthOptions> change)
    {
        var options = TestConfiguration.ValidOptions();
        change(options);
        return Assert.Single(Problems(options));
    }

    private static void AssertProblem(string problem, string path, params string[] words)
    {
        Assert.StartsWith(path + ": ", problem, StringComparison.Ordinal);
        foreach (var word in words)
        {
            Assert.Contains(word, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        Assert.Empty(Problems(TestConfiguration.ValidOptions()));
    }

    [Theory]
    [InlineData(null, "missing", "Directory (tenant) ID")]
    [InlineData("contoso", "'contoso' is not a GUID or a domain", "Directory (tenant) ID")]
    [InlineData("https://login.microsoftonline.com/contoso.com", "is not a GUID or a domain", "Overview")]
    [InlineData("common", "'common' cannot be used with the app-only flow", "client credentials need a tenant")]
    [InlineData("Organizations", "cannot be used with the app-only flow", "client credentials need a tenant")]
    [InlineData("consumers", "cannot be used with the app-only flow", "client credentials need a tenant")]
    public void Validate_BadTenantId_NamesPathAndFix(string? tenantId, string what, string fix)
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].TenantId = tenantId);

        AssertProblem(problem, Provider + ":TenantId", what, fix);
    }

    [Theory]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("7F2C1A4E-0B5D-4C8E-9A61-3D2F8B7E5C10")]
    public void Validate_TenantDomainOrGuid_Accepted(string tenantId)
    {
        Assert.Empty(Problems(With(o => o.CloudProviders["contoso"].TenantId = tenantId)));
    }

    [Fact]
    public void Validate_OrganizationsWithDelegatedFlow_RefusedAsAtRunTime()
    {
        var problem = Assert.Single(Problems(With(o =>
        {
            var provider = o.CloudProviders["contoso"];
            provider.TenantId = "organizations";
            provider.Flow = AuthFlow.Delegated;
            provider.RedirectUri = "http://localhost";
        })));

        Assert.StartsWith("XCallyModernAuth:CloudProviders:contoso:TenantId: 'organizations' is a multi-tenant alias", problem, StringComparison.Ordinal);
        Assert.Contains("one cloud provider per tenant", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("abc", "'abc' is not a GUID")]
    public void Validate_BadClientId_NamesPathAndFix(string? clientId, string what)
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].ClientId = clientId);

        AssertProblem(problem, Provider + ":ClientId", what, "copy the Application (client) ID from the app registration's Overview page");
    }

    [Fact]
    public void Validate_NoCredential_AsksForOne()
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].ClientSecret = null);

        AssertProblem(problem, Provider, "no credential", "ClientSecret", "Certificate", "ClientAssertion");
    }

    [Fact]
    public void Validate_SecretAndCertificateAndAssertion_AsksForExactlyOne()
    {
        var problem = SingleProblem(o =>
        {
            o.CloudProviders["contoso"].Certificate = new CertificateOptions { Thumbprint = new string('A', 40) };
            o.CloudProviders["contoso"].ClientAssertion = (_, _) => Task.FromResult("assertion");
        });

        AssertProblem(problem, Provider, "ClientSecret and Certificate and ClientAssertion are all set", "exactly one");
    }

    [Fact]
    public void Validate_ExpiredSecret_Refused()
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].SecretExpiresOn = Now.AddDays(-1));

        AssertProblem(problem, Provider + ":SecretExpiresOn", "expired on 2026-02-28", "add a new one");
    }

    [Fact]
    public void Validate_SecretExpiringLater_Accepted()
    {
        Assert.Empty(Problems(With(o => o.CloudProviders["contoso"].SecretExpiresOn = Now.AddDays(3))));
    }

    [Fact]
    public void Validate_BindingErrors_ReportedWithTheRest()
    {
        var options = TestConfiguration.ValidOptions();
        options.BindingErrors.Add("XCallyModernAuth:CloudProviders:contoso:Cloud: 'Mars' is not a cloud; use Global, UsGovernment, UsGovernmentDoD or China");
        options.CloudProviders["contoso"].ClientId = "abc";

        var problems = Problems(options);

        Assert.Equal(2, problems.Count);
        Assert.Contains("XCallyModernAuth:CloudProviders:contoso:Cloud: 'Mars' is not a cloud; use Global, UsGovernment, UsGovernmentDoD or China", problems);
    }

    [Fact]
    public void Validate_UndefinedEnumSetInCode_Refused()
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].Cloud = (CloudEnvironment)42);

        AssertProblem(problem, Provider + ":Cloud", "'42' is not a cloud", "Global, UsGovernment, UsGovernmentDoD or China");
    }

    [Fact]
    public void Validate_AuthorityHostOverHttp_Refused()
    {
        var problem = SingleProblem(o =>
        {
            o.CloudProviders["contoso"].AuthorityHost = "http://login.microsoftonline.com";
            o.CloudProviders["contoso"].AllowNonMicrosoftAuthority = true;
        });

        AssertProblem(problem, Provider + ":AuthorityHost", "does not use https");
    }

    [Fact]
    public void Validate_NonMicrosoftAuthorityWithoutOptIn_RefusedSoTheSecretIsNotSent()
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].AuthorityHost = "https://login.microsoftonline.co");

        AssertProblem(problem, Provider + ":AuthorityHost", "'login.microsoftonline.co' is not a Microsoft sign-in host", "AllowNonMicrosoftAuthority");
    }

    [Fact]
    public void Validate_NonMicrosoftAuthorityWithOptIn_Accepted()
    {
        Assert.Empty(Problems(With(o =>
        {
            o.CloudProviders["contoso"].AuthorityHost = "https://127.0.0.1:5001";
            o.CloudProviders["contoso"].AllowNonMicrosoftAuthority = true;
        })));
    }

    [Theory]
    [InlineData(null, "missing", "Authentication")]
    [InlineData("signin-oidc", "'signin-oidc' is not an absolute URI", "Authentication")]
    public void Validate_DelegatedWithoutUsableRedirectUri_Refused(string? redirectUri, string what, string where)
    {
        var problem = SingleProblem(o =>
        {
            o.CloudProviders["contoso"].Flow = AuthFlow.Delegated;
            o.CloudProviders["contoso"].RedirectUri = redirectUri;
        });

        AssertProblem(problem, Provider + ":RedirectUri", what, where);
    }

    [Fact]
    public void Validate_DefaultScopeMixedWithOthers_Refused()
    {
        var problem = SingleProblem(o =>
        {
            o.CloudProviders["contoso"].Scopes.Add("https://outlook.office365.com/.default");
            o.CloudProviders["contoso"].Scopes.Add("offline_access");
        });

        AssertProblem(problem, Provider + ":Scopes", "'/.default' scope is mixed with other scopes");
    }

    [Fact]
    public void Validate_GraphScope_RefusedWithTheOutlookScope()
    {
        var problem = SingleProblem(o =>
        {
            var provider = o.CloudProviders["contoso"];
            provider.Flow = AuthFlow.Delegated;
            provider.RedirectUri = "http://localhost";
            provider.Scopes.Add("https://graph.microsoft.com/IMAP.AccessAsUser.All");
        });

        AssertProblem(problem, Provider + ":Scopes:0", "Microsoft Graph scope", "https://outlook.office.com/IMAP.AccessAsUser.All");
    }

    [Fact]
    public void Validate_ScopeWithoutResource_RefusedAsGraphScope()
    {
        var problem = SingleProblem(o =>
        {
            var provider = o.CloudProviders["contoso"];
            provider.Flow = AuthFlow.Delegated;
            provider.RedirectUri = "http://localhost";
            provider.Scopes.Add("SMTP.Send");
            provider.Scopes.Add("offline_access");
        });

        AssertProblem(problem, Provider + ":Scopes:0", "Microsoft Graph", "https://outlook.office.com/SMTP.Send");
    }

    [Fact]
    public void Validate_AppOnlyWithoutDefaultScope_Refused()
    {
        var problem = SingleProblem(o => o.CloudProviders["contoso"].Scopes.Add("https://outlook.office365.com/IMAP.AccessAsApp"));

        AssertProblem(problem, Provider + ":Scopes", "https://outlook.office365.com/.default");
    }

    [Fact]
    public void Validate_AccountBoundToUnknownProvider_NamesTheKnownOnes()
    {
        var problem = SingleProblem(o => o.EmailAccounts[0].CloudProvider = "fabrikam");

        AssertProblem(problem, Account + ":CloudProvider", "'fabrikam' is not a configured cloud provider", "contoso");
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("sales", "'sales' is not an email address")]
    [InlineData("Sales <sales@contoso.com>", "is not an email address")]
    public void Validate_BadAddress_Refused(string? address, string what)
    {
        var problem = SingleProblem(o => o.EmailAccounts[0].Address = address);

        AssertProblem(problem, Account + ":Address", what);
    }

    [Fact]
    public void Validate_DuplicateAddressInOtherCase_Refused()
    {
        var problem = SingleProblem(o => o.EmailAccounts.Add(new EmailAccountOptions { Address = "SALES@contoso.com", CloudProvider = "contoso" }));

        AssertProblem(problem, "XCallyModernAuth:EmailAccounts:1:Address", "'SALES@contoso.com' is already used by XCallyModernAuth:EmailAccounts:0");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_Refused(int port)
    {
        var problem = SingleProblem(o => o.EmailAccounts[0].Imap.Port = port);

        AssertProblem(problem, Account + ":Imap:Port", $"{port} is out of range; use 1 to 65535");
    }

    [Fact]
    public void Validate_EmptyHost_Refused()
    {
        var problem = SingleProblem(o => o.EmailAccounts[0].Smtp.Host = " ");

        AssertProblem(problem, Account + ":Smtp:Host", "empty");
    }

    [Fact]
    public void Validate_TlsModeNoneOnEnabledProtocol_RefusedForClearText()
    {
        var problem = SingleProblem(o => o.EmailAccounts[0].Pop3.TlsMode = MailTlsMode.None);

        AssertProblem(problem, Account + ":Pop3:TlsMode", "None is refused", "clear-text");
    }

    [Fact]
    public void Validate_TlsModeNoneOnDisabledProtocol_Ignored()
    {
        Assert.Empty(Problems(With(o => o.EmailAccounts[0].Pop3 = new MailEndpointOptions { Enabled = false, TlsMode = MailTlsMode.None })));
    }

    [Fact]
    public void Validate_EveryProtocolDisabled_Refused()
    {
        var problem = SingleProblem(o =>
        {
            o.EmailAccounts[0].Imap.Enabled = false;
            o.EmailAccounts[0].Pop3.Enabled = false;
            o.EmailAccounts[0].Smtp.Enabled = false;
        });

        AssertProblem(problem, Account, "IMAP, POP3 and SMTP are all disabled");
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneAtOnce()
    {
        var options = new ModernAuthOptions();
        options.CloudProviders["contoso"] = new CloudProviderOptions { TenantId = "common", ClientId = "abc", AuthorityHost = "https://evil.example" };
        options.EmailAccounts.Add(new EmailAccountOptions { Address = "nobody", CloudProvider = "fabrikam", Smtp = { Port = 70000, TlsMode = MailTlsMode.None } });

        var problems = Problems(options);

        Assert.Equal(8, problems.Count);
        Assert.Collection(
            problems,
            p => AssertProblem(p, Provider + ":TenantId", "'common'"),
            p => AssertProblem(p, Provider + ":ClientId", "'abc'"),
            p => AssertProblem(p, Provider + ":AuthorityHost", "evil.example"),
            p => AssertProblem(p, Provider, "no credential"),
            p => AssertProblem(p, Account + ":Address", "'nobody'"),
            p => AssertProblem(p, Account + ":Smtp:Port", "70000"),
            p => AssertProblem(p, Account + ":Smtp:TlsMode", "None"),
            p => AssertProblem(p, Account + ":CloudProvider", "'fabrikam'"));
    }

    [Fact]
    public void Validate_BoundAtAnotherPath_MessagesUseThatPath()
    {
        var options = TestConfiguration.ValidOptions();
        options.ConfigurationPath = "Mail:Auth";
        options.CloudProviders["contoso"].ClientId = "abc";

        AssertProblem(Assert.Single(Problems(options)), "Mail:Auth:CloudProviders:contoso:ClientId", "'abc'");
    }

    [Fact]
    public void Validate_Problems_NeverContainSecretOrPassword()
    {
        var secret = TestConfiguration.NewSecret();
        var password = TestConfiguration.NewSecret();
        var options = TestConfiguration.ValidOptions(secret);
        options.CloudProviders["contoso"].ClientId = "abc";
        options.CloudProviders["contoso"].SecretExpiresOn = Now.AddYears(-1);
        options.CloudProviders["contoso"].Certificate = new CertificateOptions { Base64 = "not base64!", Password = password };
        options.CloudProviders["fabrikam"] = new CloudProviderOptions
        {
            TenantId = TestConfiguration.TenantId,
            ClientId = TestConfiguration.ClientId,
            Certificate = new CertificateOptions { Base64 = Convert.ToBase64String(TestCertificates.Pfx("right")), Password = password },
        };

        var problems = string.Join('\n', Problems(options));

        Assert.Contains("the configured password does not open", problems, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, problems, StringComparison.Ordinal);
        Assert.DoesNotContain(password, problems, StringComparison.Ordinal);
    }

    private static ModernAuthOptions With(Action<ModernAuthOptions> change)
    {
        var options = TestConfiguration.ValidOptions();
        change(options);
        return options;
    }
}
