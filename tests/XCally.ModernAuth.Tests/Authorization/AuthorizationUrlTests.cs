using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Authorization;

public class AuthorizationUrlTests
{
    [Fact]
    public void WithState_UrlWithMsalState_ReplacedAndOtherParametersKept()
    {
        var url = new Uri("https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c&state=msal&code_challenge=x&scope=a%20b");

        var result = AuthorizationUrl.WithState(url, "ours_-1");

        Assert.Equal("?client_id=c&code_challenge=x&scope=a%20b&state=ours_-1", result.Query);
        Assert.Equal(url.GetLeftPart(UriPartial.Path), result.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public void WithState_UrlWithoutQuery_StateAdded()
    {
        Assert.Equal("?state=s", AuthorizationUrl.WithState(new Uri("https://host/authorize"), "s").Query);
    }
}
