using System.Text;
using MailKit.Security;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class OAuthSaslMechanismsTests
{
    [Fact]
    public void Create_XOAuth2_InitialResponseIsUserAuthBearerWithCtrlA()
    {
        var mechanism = OAuthSaslMechanisms.Create(OAuthSaslMechanisms.XOAuth2, "shared@contoso.test", MailTestData.Token("eyJ0eXAi.payload.sig"));

        var response = mechanism.Challenge(null, TestContext.Current.CancellationToken);

        Assert.IsType<SaslMechanismOAuth2>(mechanism);
        Assert.Equal("user=shared@contoso.test\u0001auth=Bearer eyJ0eXAi.payload.sig\u0001\u0001", Encoding.UTF8.GetString(Convert.FromBase64String(response)));
    }

    [Fact]
    public void Create_OAuthBearer_BuildsRfc7628Mechanism()
    {
        var mechanism = OAuthSaslMechanisms.Create(OAuthSaslMechanisms.OAuthBearer, "alice@contoso.test", MailTestData.Token("t"));

        Assert.IsType<SaslMechanismOAuthBearer>(mechanism);
        Assert.Equal("OAUTHBEARER", mechanism.MechanismName);
        Assert.True(mechanism.SupportsInitialResponse);
    }

    [Fact]
    public void Create_EachCall_NewMechanismWithItsOwnToken()
    {
        var first = OAuthSaslMechanisms.Create(OAuthSaslMechanisms.XOAuth2, "a@contoso.test", MailTestData.Token("one"));
        var second = OAuthSaslMechanisms.Create(OAuthSaslMechanisms.XOAuth2, "a@contoso.test", MailTestData.Token("two"));

        Assert.NotSame(first, second);
        Assert.Contains("auth=Bearer two", Encoding.UTF8.GetString(Convert.FromBase64String(second.Challenge(null, TestContext.Current.CancellationToken))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "LOGIN", "XOAUTH2" }, "XOAUTH2")]
    [InlineData(new[] { "OAUTHBEARER", "XOAUTH2" }, "XOAUTH2")]
    [InlineData(new[] { "PLAIN", "OAUTHBEARER" }, "OAUTHBEARER")]
    [InlineData(new[] { "xoauth2" }, "XOAUTH2")]
    [InlineData(new[] { "PLAIN", "LOGIN" }, null)]
    [InlineData(new string[0], null)]
    public void Choose_Offered_PrefersXOAuth2ThenOAuthBearer(string[] offered, string? expected)
    {
        Assert.Equal(expected, OAuthSaslMechanisms.Choose(offered));
    }
}
