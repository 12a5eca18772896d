using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.SharedMailboxes;

/// <summary>The settings of a shared mailbox account: bound from configuration, validated with their path and fix, compared by value.</summary>
public class SharedMailboxConfigurationTests
{
    private const string Account = "XCallyModernAuth:EmailAccounts:0";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Bind_SignInUserAndSendPermission_ReadWithTheAliasPeopleType()
    {
        var options = Bind("""
            { "XCallyModernAuth": { "EmailAccounts": [
                { "Address": "support@contoso.com", "CloudProvider": "contoso", "SignInUser": " agent@contoso.com ", "SendPermission": "Send On Behalf Of" },
                { "Address": "sales@contoso.com", "CloudProvider": "contoso", "SignInUser": "agent@contoso.com", "SendPermission": "sendas" }
            ] } }
            """);

        Assert.Equal("agent@contoso.com", options.EmailAccounts[0].SignInUser);
        Assert.Equal(SendPermission.SendOnBehalf, options.EmailAccounts[0].SendPermission);
        Assert.Equal(SendPermission.SendAs, options.EmailAccounts[1].SendPermission);
        Assert.Empty(options.BindingErrors);
    }

    [Fact]
    public void Bind_UnknownSendPermission_RecordedWithPathAndTheNames()
    {
        var options = Bind("""{ "XCallyModernAuth": { "EmailAccounts": [ { "Address": "support@contoso.com", "SendPermission": "FullAccess" } ] } }""");

        var error = Assert.Single(options.BindingErrors);
        Assert.StartsWith(Account + ":SendPermission: ", error, StringComparison.Ordinal);
        Assert.Contains("SendAs or SendOnBehalf", error, StringComparison.Ordinal);
    }

    public static TheoryData<string?, SendPermission, string, string> BadSettings => new()
    {
        { " ", SendPermission.SendAs, ":SignInUser", "empty" },
        { "agent", SendPermission.SendAs, ":SignInUser", "'agent' is not a user principal name such as agent@contoso.com" },
        { "Support@Contoso.com", SendPermission.SendAs, ":SignInUser", "nobody can sign in as a shared mailbox" },
        { null, SendPermission.SendOnBehalf, ":SendPermission", "set SignInUser to the user granted Send on Behalf (Set-Mailbox -Identity <mailbox> -GrantSendOnBehalfTo <user>)" },
        { null, (SendPermission)7, ":SendPermission", "'7' is not a send permission; use SendAs or SendOnBehalf" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_SignInNobodyCanMake_ProblemNamesPathAndFix(string? signInUser, SendPermission permission, string key, string fix)
    {
        var options = Delegated(new EmailAccountOptions { Address = "support@contoso.com", CloudProvider = "contoso", SignInUser = signInUser, SendPermission = permission });

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith(Account + key + ": ", problem, StringComparison.Ordinal);
        Assert.Contains(fix, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SignInUserOnAnAppOnlyProvider_RefusedWithTheServicePrincipalsCmdlets()
    {
        var options = TestConfiguration.ValidOptions();
        options.EmailAccounts[0].SignInUser = "agent@contoso.com";

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith(Account + ":SignInUser: cloud provider 'contoso' uses app-only tokens", problem, StringComparison.Ordinal);
        Assert.Contains("Add-MailboxPermission -Identity <mailbox> -User <servicePrincipalId> -AccessRights FullAccess", problem, StringComparison.Ordinal);
        Assert.Contains("Add-RecipientPermission -Trustee <servicePrincipalId> -AccessRights SendAs", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SignInUserThatIsAnotherSharedMailbox_RefusedNamingItsAgent()
    {
        var options = Delegated(
            new EmailAccountOptions { Address = "support@contoso.com", CloudProvider = "contoso", SignInUser = "agent@contoso.com" },
            new EmailAccountOptions { Address = "sales@contoso.com", CloudProvider = "contoso", SignInUser = "SUPPORT@contoso.com" });

        var problem = Assert.Single(Problems(options));

        Assert.StartsWith("XCallyModernAuth:EmailAccounts:1:SignInUser: 'SUPPORT@contoso.com' is a shared mailbox itself (XCallyModernAuth:EmailAccounts:0 is signed in as 'agent@contoso.com')", problem, StringComparison.Ordinal);
        Assert.Contains("set SignInUser to 'agent@contoso.com'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AgentsOwnAccountBesideTheSharedOnes_Accepted()
    {
        var options = Delegated(
            new EmailAccountOptions { Address = "agent@contoso.com", CloudProvider = "contoso" },
            new EmailAccountOptions { Address = "support@contoso.com", CloudProvider = "contoso", SignInUser = "agent@contoso.com" },
            new EmailAccountOptions { Address = "sales@contoso.com", CloudProvider = "contoso", SignInUser = "agent@contoso.com", SendPermission = SendPermission.SendOnBehalf });

        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Validate_DelegatedScopesWithoutSmtpSend_WarnsForEachAccountThatUsesSmtp()
    {
        var options = Delegated(new EmailAccountOptions { Address = "support@contoso.com", CloudProvider = "contoso", SignInUser = "agent@contoso.com", Pop3 = { Enabled = false } });
        options.CloudProviders["contoso"].Scopes.Add("https://outlook.office.com/IMAP.AccessAsUser.All");
        options.CloudProviders["contoso"].Scopes.Add("offline_access");
        var logs = new FakeLogCollector();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        var result = new ModernAuthOptionsValidator(new FakeTimeProvider(Now), factory.CreateLogger<ModernAuthOptionsValidator>()).Validate(null, options);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.StartsWith(Account + ":Smtp:Enabled: Smtp is enabled, but XCallyModernAuth:CloudProviders:contoso:Scopes has no SMTP.Send", warning.Message, StringComparison.Ordinal);
        Assert.Contains("add https://outlook.office.com/SMTP.Send", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SharedAccount_LoginNamesAndSenderFollowTheSendPermission()
    {
        var provider = CloudProvider.Create("contoso", DelegatedProvider());
        var sendAs = EmailAccount.Create(new EmailAccountOptions { Address = "support@contoso.com", SignInUser = "agent@contoso.com" }, provider);
        var onBehalf = EmailAccount.Create(new EmailAccountOptions { Address = "support@contoso.com", SignInUser = "agent@contoso.com", SendPermission = SendPermission.SendOnBehalf }, provider);
        var own = EmailAccount.Create(new EmailAccountOptions { Address = "agent@contoso.com" }, provider);

        Assert.Equal(("support@contoso.com", "support@contoso.com", "agent@contoso.com"), (sendAs.GetLoginName(MailProtocol.Imap), sendAs.GetLoginName(MailProtocol.Pop3), sendAs.GetLoginName(MailProtocol.Smtp)));
        Assert.Equal(("support@contoso.com", null), (sendAs.SmtpSender, sendAs.SenderHeader));
        Assert.Equal(("agent@contoso.com", "agent@contoso.com"), (onBehalf.SmtpSender, onBehalf.SenderHeader));
        Assert.Equal(("agent@contoso.com", "agent@contoso.com", null), (own.SmtpUserName, own.SmtpSender, own.SignInUser));
        Assert.Contains("signed in as agent@contoso.com, SendOnBehalf", onBehalf.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SignInUserWithAnAppOnlyProvider_Throws()
    {
        var provider = CloudProvider.Create("contoso", TestConfiguration.ValidProvider());

        var ex = Assert.Throws<ModernAuthException>(() => EmailAccount.Create(new EmailAccountOptions { Address = "support@contoso.com", SignInUser = "agent@contoso.com" }, provider));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("SignInUser: cloud provider 'contoso' uses app-only tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SignInUserOrSendPermissionDiffers_NotEqual()
    {
        var provider = CloudProvider.Create("contoso", DelegatedProvider());
        EmailAccount Make(string? user, SendPermission permission) =>
            EmailAccount.Create(new EmailAccountOptions { Address = "support@contoso.com", SignInUser = user, SendPermission = permission }, provider);

        Assert.Equal(Make("agent@contoso.com", SendPermission.SendAs), Make("agent@contoso.com", SendPermission.SendAs));
        Assert.NotEqual(Make("agent@contoso.com", SendPermission.SendAs), Make("clerk@contoso.com", SendPermission.SendAs));
        Assert.NotEqual(Make("agent@contoso.com", SendPermission.SendAs), Make("agent@contoso.com", SendPermission.SendOnBehalf));
        Assert.NotEqual(Make("agent@contoso.com", SendPermission.SendAs), Make(null, SendPermission.SendAs));
    }

    private static ModernAuthOptions Bind(string json)
    {
        var options = new ModernAuthOptions();
        ModernAuthOptionsBinder.Bind(TestConfiguration.FromJson(json).GetSection(ModernAuthOptions.SectionName), options);
        return options;
    }

    private static CloudProviderOptions DelegatedProvider()
    {
        var provider = TestConfiguration.ValidProvider();
        provider.Flow = AuthFlow.Delegated;
        provider.RedirectUri = "https://localhost/signin";
        return provider;
    }

    private static ModernAuthOptions Delegated(params EmailAccountOptions[] accounts)
    {
        var options = new ModernAuthOptions();
        options.CloudProviders["contoso"] = DelegatedProvider();
        foreach (var account in accounts)
        {
            options.EmailAccounts.Add(account);
        }

        return options;
    }

    private static IReadOnlyList<string> Problems(ModernAuthOptions options)
    {
        var result = new ModernAuthOptionsValidator(new FakeTimeProvider(Now)).Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }
}
