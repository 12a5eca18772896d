using System.Text;
using XCally.ModernAuth.Testing.Mail.Internal;

namespace XCally.ModernAuth.Testing.Tests.Mail.Internal;

public class OAuthSaslResponseTests
{
    [Fact]
    public void TryParse_XOAuth2_ReturnsUserAndToken()
    {
        var response = OAuthSaslResponse.TryParse("XOAUTH2", Encode("user=support@contoso.com\u0001auth=Bearer abc.def.ghi\u0001\u0001"));

        Assert.Equal(new OAuthSaslResponse("support@contoso.com", "abc.def.ghi"), response);
    }

    [Fact]
    public void TryParse_OAuthBearerWithEscapedUser_ReturnsUserAndToken()
    {
        var response = OAuthSaslResponse.TryParse("OAUTHBEARER", Encode("n,a=odd=2Cname=3D@contoso.com,\u0001host=127.0.0.1\u0001port=993\u0001auth=Bearer tok\u0001\u0001"));

        Assert.Equal(new OAuthSaslResponse("odd,name=@contoso.com", "tok"), response);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("dXNlcj14")]
    [InlineData("")]
    public void TryParse_Malformed_ReturnsNull(string base64)
    {
        Assert.Null(OAuthSaslResponse.TryParse("XOAUTH2", base64));
    }

    [Fact]
    public void ToString_NeverShowsTheToken()
    {
        Assert.DoesNotContain("secret-token", new OAuthSaslResponse("a@b.c", "secret-token").ToString(), StringComparison.Ordinal);
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
