namespace XCally.ModernAuth.Tests.Model;

public class CloudEnvironmentDefaultsTests
{
    [Theory]
    [InlineData(CloudEnvironment.Global, "https://login.microsoftonline.com/", "https://outlook.office365.com/.default")]
    [InlineData(CloudEnvironment.UsGovernment, "https://login.microsoftonline.us/", "https://outlook.office365.us/.default")]
    [InlineData(CloudEnvironment.UsGovernmentDoD, "https://login.microsoftonline.us/", "https://outlook-dod.office365.us/.default")]
    [InlineData(CloudEnvironment.China, "https://login.chinacloudapi.cn/", "https://partner.outlook.cn/.default")]
    public void Defaults_EachCloud_AuthorityAndAppOnlyScope(CloudEnvironment cloud, string authority, string scope)
    {
        Assert.Equal(authority, CloudEnvironmentDefaults.GetAuthorityHost(cloud).ToString());
        Assert.Equal([scope], CloudEnvironmentDefaults.GetDefaultScopes(cloud, AuthFlow.AppOnly));
    }

    [Theory]
    [InlineData(CloudEnvironment.Global, "outlook.office365.com", "smtp.office365.com")]
    [InlineData(CloudEnvironment.UsGovernment, "outlook.office365.us", "smtp.office365.us")]
    [InlineData(CloudEnvironment.UsGovernmentDoD, "outlook-dod.office365.us", "outlook-dod.office365.us")]
    [InlineData(CloudEnvironment.China, "partner.outlook.cn", "smtp.partner.outlook.cn")]
    public void GetMailEndpoint_EachCloud_ExchangeOnlineHostsAndPorts(CloudEnvironment cloud, string mailboxHost, string smtpHost)
    {
        Assert.Equal(new MailEndpoint(mailboxHost, 993, MailTlsMode.Implicit), CloudEnvironmentDefaults.GetMailEndpoint(cloud, MailProtocol.Imap));
        Assert.Equal(new MailEndpoint(mailboxHost, 995, MailTlsMode.Implicit), CloudEnvironmentDefaults.GetMailEndpoint(cloud, MailProtocol.Pop3));
        Assert.Equal(new MailEndpoint(smtpHost, 587, MailTlsMode.StartTls), CloudEnvironmentDefaults.GetMailEndpoint(cloud, MailProtocol.Smtp));
    }

    [Fact]
    public void GetDefaultScopes_Delegated_OutlookResourceWithOfflineAccess()
    {
        Assert.Equal(
            ["https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/POP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"],
            CloudEnvironmentDefaults.GetDefaultScopes(CloudEnvironment.Global, AuthFlow.Delegated));
    }

    [Theory]
    [InlineData("login.microsoftonline.com", true)]
    [InlineData("LOGIN.WINDOWS.NET", true)]
    [InlineData("login.usgovcloudapi.net", true)]
    [InlineData("login.partner.microsoftonline.cn", true)]
    [InlineData("login.microsoftonline.de", false)]
    [InlineData("login.microsoftonline.com.evil.test", false)]
    public void IsMicrosoftAuthorityHost_InstanceDiscoveryAliases_Recognised(string host, bool expected)
    {
        Assert.Equal(expected, CloudEnvironmentDefaults.IsMicrosoftAuthorityHost(host));
    }
}
