using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Diagnostics;

public sealed class SensitiveTextTests
{
    [Fact]
    public void Scrub_JwtSecretAndOpaqueRuns_AreRedacted()
    {
        var jwt = TestTokenEndpoint.NewJwtLikeToken();
        var secret = "plain-known-secret";
        var entraShapedSecret = TestModels.NewSecret();

        var scrubbed = SensitiveText.Scrub($"token {jwt} secret {secret} other {entraShapedSecret} random AbC123dEf456GhI789jKl012MnO345", secret);

        Assert.Equal("token [redacted] secret [redacted] other [redacted] random [redacted]", scrubbed);
    }

    [Fact]
    public void Scrub_IdsHostsAndScopes_AreKept()
    {
        const string text = "AADSTS70011: The scope https://graph.microsoft.com/IMAP.AccessAsUser.All is not valid for app '4f0c5d9e-8d5e-4c1a-9a34-0b5c1e4f7a21' at login.microsoftonline.com (contoso.onmicrosoft.com).";

        Assert.Equal(text, SensitiveText.Scrub(text));
    }

    [Fact]
    public void Scrub_NullOrEmpty_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, SensitiveText.Scrub(null));
        Assert.Equal(string.Empty, SensitiveText.Scrub(string.Empty, "secret"));
    }
}
