namespace XCally.ModernAuth.Tests.Authorization;

public class AuthorizationCallbackTests
{
    // What Microsoft Entra ID appends to the redirect URI when the user presses Cancel on its consent page.
    private const string CancelledQuery =
        "?error=access_denied&error_subcode=cancel&state=s-1&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+4f8bf1a0-36c2-4a5e-9f0b-6c2b6d2a1e00%0d%0aCorrelation+ID%3a+c3a1d6a2-0b1e-4b8f-a6d7-5b6e0e9f1a11%0d%0aTimestamp%3a+2026-03-02+10%3a11%3a12Z";

    [Fact]
    public void Parse_EntraCancelRedirect_ErrorSubcodeAndSupportIdsRead()
    {
        var callback = AuthorizationCallback.Parse(CancelledQuery);

        Assert.True(callback.IsError);
        Assert.True(callback.IsCancelled);
        Assert.Null(callback.Code);
        Assert.Equal("s-1", callback.State);
        Assert.Equal("access_denied", callback.Error);
        Assert.Equal("AADSTS65004", callback.ErrorCode);
        Assert.Equal("4f8bf1a0-36c2-4a5e-9f0b-6c2b6d2a1e00", callback.TraceId);
        Assert.Equal("c3a1d6a2-0b1e-4b8f-a6d7-5b6e0e9f1a11", callback.CorrelationId);
        Assert.StartsWith("AADSTS65004: User declined to consent", callback.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeparateIdsAndErrorCodes_PreferredOverTheDescription()
    {
        var callback = AuthorizationCallback.Parse(
            "error=consent_required&error_codes=65001&trace_id=aaaaaaaa-0000-0000-0000-000000000001&correlation_id=bbbbbbbb-0000-0000-0000-000000000002&error_description=The+user+or+administrator+has+not+consented&state=x");

        Assert.Equal("AADSTS65001", callback.ErrorCode);
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", callback.TraceId);
        Assert.Equal("bbbbbbbb-0000-0000-0000-000000000002", callback.CorrelationId);
        Assert.False(callback.IsCancelled);
    }

    [Fact]
    public void Parse_WholeCallbackUrlWithCode_CodeAndStateRead()
    {
        var callback = AuthorizationCallback.Parse("https://admin.contoso.com/signin-xcally?code=0.AbC%2Bd&state=st&session_state=ignored#frag");

        Assert.False(callback.IsError);
        Assert.Equal("0.AbC+d", callback.Code);
        Assert.Equal("st", callback.State);
        Assert.Null(callback.ErrorCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("&&=&state=")]
    public void Parse_EmptyOrBlank_NothingSet(string? query)
    {
        var callback = AuthorizationCallback.Parse(query);

        Assert.Null(callback.Code);
        Assert.Null(callback.State);
        Assert.False(callback.IsError);
    }

    [Fact]
    public void ToString_WithCode_NeverShowsTheCode()
    {
        var callback = new AuthorizationCallback("secret-authorization-code", "state");

        Assert.DoesNotContain("secret-authorization-code", callback.ToString(), StringComparison.Ordinal);
    }
}
