namespace XCally.ModernAuth.Salesforce.Tests.Configuration;

/// <summary>Providers compare by their settings, so a host's store may build a new instance on every lookup.</summary>
public class SalesforceProviderEqualityTests
{
    [Fact]
    public void Equals_NewInstanceWithTheSameSettings_EqualWithTheSameHash()
    {
        var first = Create();
        var second = Create();

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Equals_NameInOtherCase_Equal()
    {
        Assert.Equal(Create(), Create(name: "CRM"));
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("password")]
    [InlineData("token")]
    [InlineData("user")]
    [InlineData("key")]
    [InlineData("url")]
    [InlineData("timeout")]
    public void Equals_OneSettingChanged_NotEqual(string changed)
    {
        var other = Create(configure: options =>
        {
            switch (changed)
            {
                case "secret":
                    options.ConsumerSecret = "Rotated-456";
                    break;
                case "password":
                    options.Password = "Changed-789";
                    break;
                case "token":
                    options.SecurityToken = "NewTok111";
                    break;
                case "user":
                    options.Username = "other@contoso.com";
                    break;
                case "key":
                    options.ConsumerKey = "3MVG9other";
                    break;
                case "url":
                    options.LoginUrl = "https://login.salesforce.com";
                    break;
                case "timeout":
                    options.SessionTimeout = TimeSpan.FromHours(1);
                    break;
            }
        });

        Assert.NotEqual(Create(), other);
    }

    private static SalesforceProvider Create(string name = "crm", Action<SalesforceProviderOptions>? configure = null)
    {
        var options = new SalesforceProviderOptions
        {
            Flow = SalesforceFlow.UsernamePassword,
            AllowUsernamePasswordFlow = true,
            LoginUrl = "https://test.salesforce.com",
            ConsumerKey = "3MVG9key",
            ConsumerSecret = "TopSecret-123",
            Username = "api@contoso.com",
            Password = "Pa55word-xyz",
            SecurityToken = "TokTok987",
        };
        configure?.Invoke(options);
        return SalesforceProvider.Create(name, options);
    }
}
