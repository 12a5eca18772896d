using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Diagnostics;

public class TokenClaimsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCJ9.e30.x.y.z")]
    [InlineData("header.!!!.signature")]
    public void TryRead_NotAReadableJwt_Null(string? token)
    {
        Assert.Null(TokenClaims.TryRead(token));
    }

    [Fact]
    public void TryRead_AppOnlyToken_ReadsClaimsAndNeverKeepsTheToken()
    {
        var token = MailTestData.Jwt(new
        {
            aud = new[] { "https://outlook.office365.com" },
            roles = new[] { "IMAP.AccessAsApp", "SMTP.SendAsApp" },
            tid = "t-1",
            oid = "o-1",
            appid = "a-1",
            exp = Now.ToUnixTimeSeconds(),
        });

        var claims = TokenClaims.TryRead(token)!;

        Assert.Equal(["https://outlook.office365.com"], claims.Audiences);
        Assert.Equal(["IMAP.AccessAsApp", "SMTP.SendAsApp"], claims.Roles);
        Assert.Empty(claims.Scopes);
        Assert.Equal(("t-1", "o-1", "a-1"), (claims.TenantId, claims.ObjectId, claims.ApplicationId));
        Assert.Equal(Now, claims.ExpiresOn);
        Assert.True(claims.IsAppOnly);
        Assert.DoesNotContain(token, claims.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_DelegatedToken_SplitsScopesAndReadsTheUser()
    {
        var claims = TokenClaims.TryRead(MailTestData.Jwt(new { aud = "https://outlook.office.com", scp = "IMAP.AccessAsUser.All SMTP.Send", preferred_username = "ann@contoso.com" }))!;

        Assert.Equal(["IMAP.AccessAsUser.All", "SMTP.Send"], claims.Scopes);
        Assert.Equal("ann@contoso.com", claims.UserPrincipalName);
        Assert.False(claims.IsAppOnly);
    }

    [Fact]
    public void Findings_RightAppOnlyToken_OnlyTheObjectIdHint()
    {
        var claims = TokenClaims.TryRead(MailTestData.Jwt(new { aud = "00000002-0000-0ff1-ce00-000000000000", roles = new[] { "POP.AccessAsApp" }, tid = "11111111-1111-1111-1111-111111111111", oid = "o-1", exp = Now.AddHours(1).ToUnixTimeSeconds() }))!;
        var provider = MailTestData.Provider(AuthFlow.AppOnly);

        var findings = TokenDiagnosis.Findings(claims, MailTestData.Account(993), MailProtocol.Pop3, provider, Now);

        Assert.Equal(["its service principal's object id (oid) is o-1: that is the id `New-ServicePrincipal -ObjectId` and `Add-MailboxPermission -User` need"], findings);
    }

    [Fact]
    public void Findings_EveryProblem_OneFindingEachStartingWithAKnownOpening()
    {
        var claims = TokenClaims.TryRead(MailTestData.Jwt(new
        {
            aud = "https://graph.microsoft.com",
            scp = "Mail.Read",
            upn = "mallory@contoso.test",
            tid = "22222222-2222-2222-2222-222222222222",
            exp = Now.AddMinutes(-3).ToUnixTimeSeconds(),
        }))!;
        var provider = new CloudProvider(
            "contoso", CloudService.MicrosoftAzure, CloudProviderType.Office365, "33333333-3333-3333-3333-333333333333", "11111111-2222-3333-4444-555555555555",
            new ClientSecretCredential("not-a-real-secret"), CloudEnvironment.Global, AuthFlow.Delegated, new Uri("https://app.contoso.test/cb"),
            new Uri("https://login.microsoftonline.com"), false, CloudEnvironmentDefaults.GetDefaultScopes(CloudEnvironment.Global, AuthFlow.Delegated));

        var findings = TokenDiagnosis.Findings(claims, MailTestData.Account(993), MailProtocol.Imap, provider, Now);

        Assert.Equal(5, findings.Count);
        Assert.All(findings, f => Assert.Contains(TokenDiagnosis.FindingOpenings, opening => f.StartsWith(opening, StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.Contains("(3 min before it was refused", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("https://outlook.office.com/IMAP.AccessAsUser.All", StringComparison.Ordinal));
        Assert.StartsWith("The token's claims: it expired at", TokenDiagnosis.Describe(findings), StringComparison.Ordinal);
    }
}
