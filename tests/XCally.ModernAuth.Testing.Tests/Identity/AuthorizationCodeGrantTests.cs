using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace XCally.ModernAuth.Testing.Tests.Identity;

public class AuthorizationCodeGrantTests
{
    [Fact]
    public async Task AcquireTokenByAuthorizationCode_WithPkce_ReturnsDelegatedTokenAndAccount()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();

        var location = await env.AuthorizeAsync(challenge, env.User.UserPrincipalName);
        Assert.Equal("xyz", IdentityTestEnvironment.QueryValue(location, "state"));
        var result = await msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, IdentityTestEnvironment.QueryValue(location, "code"))
            .WithPkceCodeVerifier(verifier).ExecuteAsync(TestContext.Current.CancellationToken);

        var token = new JsonWebToken(result.AccessToken);
        Assert.Equal("https://outlook.office.com", token.Audiences.Single());
        Assert.Equal(env.User.ObjectId, token.GetClaim("oid").Value);
        Assert.Equal(env.User.UserPrincipalName, token.GetClaim("upn").Value);
        Assert.Equal(env.User.UserPrincipalName, token.GetClaim("unique_name").Value);
        Assert.Equal("IMAP.AccessAsUser.All", token.GetClaim("scp").Value);
        Assert.Equal("user", token.GetClaim("idtyp").Value);
        Assert.Equal("Agent Smith", token.GetClaim("name").Value);
        Assert.NotEmpty(token.Subject);
        Assert.Equal(env.User.UserPrincipalName, result.Account.Username);
        Assert.Equal($"{env.User.ObjectId}.{env.Tenant.TenantId}", result.Account.HomeAccountId.Identifier);
        Assert.Equal(env.Tenant.TenantId, result.TenantId);
        var idToken = new JsonWebToken(result.IdToken);
        Assert.Equal(env.Application.ClientId, idToken.Audiences.Single());
        Assert.Equal($"{env.Server.BaseAddress}{env.Tenant.TenantId}/v2.0", idToken.Issuer);
    }

    [Fact]
    public async Task AcquireTokenSilent_AfterAccessTokenExpired_RedeemsRefreshToken()
    {
        // Under MSAL's five-minute expiry margin, so every silent call goes to the refresh token.
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { AccessTokenLifetime = TimeSpan.FromMinutes(4) });
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var first = await SignInAsync(env, msal);
        env.Time.Advance(TimeSpan.FromMinutes(5));

        var second = await msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, first.Account).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, env.Server.Counters.TokenRequestsForGrantType("refresh_token"));
        var token = new JsonWebToken(second.AccessToken);
        Assert.Equal(env.Time.GetUtcNow().AddMinutes(4).ToUnixTimeSeconds(), token.GetPayloadValue<long>("exp"));
        Assert.Equal(env.User.ObjectId, token.GetClaim("oid").Value);
    }

    [Fact]
    public async Task AcquireTokenSilent_RedeemedRefreshTokenAgain_AcceptedAsEntraDoesAndCounted()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var (first, second) = await RedeemTheSameRefreshTokenTwiceAsync(env);

        var again = await second;

        Assert.NotEqual(first.AccessToken, again.AccessToken);
        Assert.Equal(2, env.Server.Counters.TokenRequestsForGrantType("refresh_token"));
        Assert.Equal(1, env.Server.Counters.RefreshTokenReuses);
    }

    [Fact]
    public async Task AcquireTokenSilent_RedeemedRefreshTokenAgainUnderStrictRotation_ThrowsInvalidGrant()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { StrictRefreshTokenRotation = true });
        var (_, second) = await RedeemTheSameRefreshTokenTwiceAsync(env);

        var ex = await Assert.ThrowsAsync<MsalUiRequiredException>(() => second);

        Assert.Equal("invalid_grant", ex.ErrorCode);
        Assert.Contains("AADSTS70000:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, env.Server.Counters.RefreshTokenReuses);
    }

    // Two clients hold the same sign-in (a copy of one token cache, as two instances reading one shared entry would): the first
    // redeems the refresh token, then the second redeems the same one.
    private static async Task<(AuthenticationResult First, Task<AuthenticationResult> Second)> RedeemTheSameRefreshTokenTwiceAsync(IdentityTestEnvironment env)
    {
        byte[]? snapshot = null;
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        msal.UserTokenCache.SetAfterAccess(args => snapshot ??= args.HasStateChanged ? args.TokenCache.SerializeMsalV3() : null);
        var signedIn = await SignInAsync(env, msal);
        var copy = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        copy.UserTokenCache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(snapshot, shouldClearExistingCache: true));

        var first = await msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, signedIn.Account)
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken);
        var second = copy.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, await copy.GetAccountAsync(signedIn.Account.HomeAccountId.Identifier))
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken);
        return (first, second);
    }

    [Fact]
    public async Task AcquireTokenSilent_RefreshTokensRevoked_ThrowsAadsts50173()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var first = await SignInAsync(env, msal);
        Assert.Equal(1, env.Server.RevokeRefreshTokens(env.User));

        var ex = await Assert.ThrowsAsync<MsalUiRequiredException>(() => msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, first.Account)
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal("invalid_grant", ex.ErrorCode);
        Assert.Contains("AADSTS50173:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenSilent_UserDisabled_ThrowsAadsts50173()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var first = await SignInAsync(env, msal);
        env.User.Enabled = false;

        var ex = await Assert.ThrowsAsync<MsalUiRequiredException>(() => msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, first.Account)
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS50173:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenSilent_RefreshTokenExpired_ThrowsAadsts70008()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var first = await SignInAsync(env, msal);
        env.Time.Advance(TimeSpan.FromDays(91));

        var ex = await Assert.ThrowsAsync<MsalUiRequiredException>(() => msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, first.Account)
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS70008:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenSilent_ConsentWithdrawn_ThrowsAadsts65001()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var first = await SignInAsync(env, msal);
        env.Server.WithdrawConsent(env.Application, env.User);

        var ex = await Assert.ThrowsAsync<MsalUiRequiredException>(() => msal.AcquireTokenSilent(IdentityTestEnvironment.ImapScopes, first.Account)
            .WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS65001:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenByAuthorizationCode_CodeReused_ThrowsAadsts54005()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();
        var code = IdentityTestEnvironment.QueryValue(await env.AuthorizeAsync(challenge, env.User.UserPrincipalName), "code");
        await msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code).WithPkceCodeVerifier(verifier).ExecuteAsync(TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAnyAsync<MsalServiceException>(() => msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code)
            .WithPkceCodeVerifier(verifier).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS54005:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenByAuthorizationCode_WrongVerifier_ThrowsAadsts501481()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var (_, challenge) = IdentityTestEnvironment.NewPkce();
        var code = IdentityTestEnvironment.QueryValue(await env.AuthorizeAsync(challenge, env.User.UserPrincipalName), "code");

        var ex = await Assert.ThrowsAnyAsync<MsalServiceException>(() => msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code)
            .WithPkceCodeVerifier(IdentityTestEnvironment.NewPkce().Verifier).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS501481:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenByAuthorizationCode_OtherRedirectUri_ThrowsAadsts50011()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Application.AddRedirectUri("http://localhost:5123/other");
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri("http://localhost:5123/other").Build();
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();
        var code = IdentityTestEnvironment.QueryValue(await env.AuthorizeAsync(challenge, env.User.UserPrincipalName), "code");

        var ex = await Assert.ThrowsAnyAsync<MsalServiceException>(() => msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code)
            .WithPkceCodeVerifier(verifier).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS50011:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenByAuthorizationCode_CodeExpired_ThrowsAadsts70008()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();
        var code = IdentityTestEnvironment.QueryValue(await env.AuthorizeAsync(challenge, env.User.UserPrincipalName), "code");
        env.Time.Advance(TimeSpan.FromMinutes(11));

        var ex = await Assert.ThrowsAnyAsync<MsalServiceException>(() => msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code)
            .WithPkceCodeVerifier(verifier).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS70008:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_AnswersErrorPageNotRedirect()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var http = env.CreateHttpClient();
        var uri = new Uri(env.Server.GetAuthority(env.Tenant),
            $"oauth2/v2.0/authorize?client_id={env.Application.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&scope=openid&login_hint={env.User.UserPrincipalName}");

        using var response = await http.GetAsync(uri, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("AADSTS50011:", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_UnknownLoginHint_RedirectsWithError()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();

        var location = await env.AuthorizeAsync(IdentityTestEnvironment.NewPkce().Challenge, "nobody@contoso.onmicrosoft.com");

        Assert.Equal("invalid_request", IdentityTestEnvironment.QueryValue(location, "error"));
        Assert.StartsWith("AADSTS50034:", IdentityTestEnvironment.QueryValue(location, "error_description"), StringComparison.Ordinal);
        Assert.Equal("xyz", IdentityTestEnvironment.QueryValue(location, "state"));
        Assert.StartsWith(IdentityTestEnvironment.RedirectUri, location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_SignInCallbackDeclines_RedirectsWithAccessDenied()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        AuthorizeRequest? seen = null;
        env.Server.SignIn = request =>
        {
            seen = request;
            return null;
        };

        var location = await env.AuthorizeAsync(IdentityTestEnvironment.NewPkce().Challenge);

        Assert.Equal("access_denied", IdentityTestEnvironment.QueryValue(location, "error"));
        Assert.Same(env.Application, seen!.Application);
        Assert.Contains("offline_access", seen.Scopes);
    }

    private static async Task<AuthenticationResult> SignInAsync(IdentityTestEnvironment env, IConfidentialClientApplication msal)
    {
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();
        env.Server.SignIn = _ => env.User;
        var code = IdentityTestEnvironment.QueryValue(await env.AuthorizeAsync(challenge), "code");
        return await msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, code).WithPkceCodeVerifier(verifier)
            .ExecuteAsync(TestContext.Current.CancellationToken);
    }
}
