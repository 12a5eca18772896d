using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Diagnostics;

public sealed class TokenFingerprintTests
{
    [Fact]
    public void Of_SameToken_SameShortFingerprintWithoutTheToken()
    {
        var token = TestTokenEndpoint.NewJwtLikeToken();

        var fingerprint = TokenFingerprint.Of(token);

        Assert.Equal(fingerprint, TokenFingerprint.Of(token));
        Assert.Matches("^sha256:[0-9A-F]{8}$", fingerprint);
        Assert.NotEqual(fingerprint, TokenFingerprint.Of(TestTokenEndpoint.NewJwtLikeToken()));
    }
}
