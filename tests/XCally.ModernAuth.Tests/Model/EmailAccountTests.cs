using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Model;

public class EmailAccountTests
{
    private static CloudProvider Provider(CloudEnvironment cloud = CloudEnvironment.Global)
    {
        var options = TestConfiguration.ValidProvider();
        options.Cloud = cloud;
        return CloudProvider.Create("contoso", options);
    }

    [Fact]
    public void Create_NoEndpointSettings_DefaultsFromProviderCloud()
    {
        var account = EmailAccount.Create(new EmailAccountOptions { Address = "sales@contoso.com" }, Provider(CloudEnvironment.UsGovernment));

        Assert.Equal(("sales@contoso.com", "sales@contoso.com", "contoso"), (account.Address, account.UserName, account.CloudProviderName));
        Assert.Equal(new MailEndpoint("outlook.office365.us", 993, MailTlsMode.Implicit), account.Imap);
        Assert.Equal(new MailEndpoint("outlook.office365.us", 995, MailTlsMode.Implicit), account.Pop3);
        Assert.Equal(new MailEndpoint("smtp.office365.us", 587, MailTlsMode.StartTls), account.Smtp);
    }

    [Fact]
    public void Create_OverridesAndDisabledProtocol_Applied()
    {
        var options = new EmailAccountOptions { Address = "sales@contoso.com", UserName = "shared@contoso.com", Pop3 = { Enabled = false }, Imap = { Host = "127.0.0.1", Port = 1993 } };

        var account = EmailAccount.Create(options, Provider());

        Assert.Equal("shared@contoso.com", account.UserName);
        Assert.Equal(new MailEndpoint("127.0.0.1", 1993, MailTlsMode.Implicit), account.Imap);
        Assert.Null(account.Pop3);
        Assert.Null(account.GetEndpoint(MailProtocol.Pop3));
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new EmailAccountOptions { Address = "nobody", CloudProvider = "fabrikam", Smtp = { TlsMode = MailTlsMode.None } };

        var ex = Assert.Throws<ModernAuthException>(() => EmailAccount.Create(options, Provider()));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("Address: 'nobody' is not an email address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Smtp:TlsMode: None is refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudProvider: 'fabrikam' does not match the provider given, 'contoso'", ex.Message, StringComparison.Ordinal);
    }
}
