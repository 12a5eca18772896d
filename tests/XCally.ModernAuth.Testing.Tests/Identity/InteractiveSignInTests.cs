using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Testing.Tests.Identity;

/// <summary>The sign-in page of <see cref="EmulatorIdentityServerOptions.InteractiveSignIn"/>, answered as a browser's form would.</summary>
public partial class InteractiveSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authorize_Interactive_ShowsThePageWithTheUserAndPermissionsAndNoRedirect()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });
        using var http = env.CreateHttpClient();

        using var response = await http.GetAsync(AuthorizeUrl(env, IdentityTestEnvironment.NewPkce().Challenge, env.User.UserPrincipalName), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("value=\"agent@contoso.onmicrosoft.com\"", html, StringComparison.Ordinal);
        Assert.Contains("https://outlook.office.com/IMAP.AccessAsUser.All", html, StringComparison.Ordinal);
        Assert.Contains("id=\"accept\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"cancel\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Post_Accept_RedirectsWithACodeMsalRedeemsForTheNamedUser()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).WithRedirectUri(IdentityTestEnvironment.RedirectUri).Build();
        var (verifier, challenge) = IdentityTestEnvironment.NewPkce();

        var location = await AnswerAsync(env, challenge, loginHint: null, login: env.User.UserPrincipalName, action: "accept");
        var result = await msal.AcquireTokenByAuthorizationCode(IdentityTestEnvironment.ImapScopes, IdentityTestEnvironment.QueryValue(location, "code"))
            .WithPkceCodeVerifier(verifier).ExecuteAsync(Ct);

        Assert.StartsWith(IdentityTestEnvironment.RedirectUri, location.ToString(), StringComparison.Ordinal);
        Assert.Equal("xyz", IdentityTestEnvironment.QueryValue(location, "state"));
        Assert.Equal(env.User.UserPrincipalName, result.Account.Username);
    }

    [Fact]
    public async Task Post_Cancel_RedirectsLikeEntraWithAccessDeniedCancelAndAadsts65004()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });

        var location = await AnswerAsync(env, IdentityTestEnvironment.NewPkce().Challenge, env.User.UserPrincipalName, env.User.UserPrincipalName, "cancel");
        var callback = AuthorizationCallback.Parse(location.Query);

        Assert.Equal("access_denied", callback.Error);
        Assert.True(callback.IsCancelled);
        Assert.Equal("AADSTS65004", callback.ErrorCode);
        Assert.Equal("xyz", callback.State);
        Assert.Null(callback.Code);
        Assert.NotNull(callback.TraceId);
        Assert.NotNull(callback.CorrelationId);
    }

    [Fact]
    public async Task Post_UnknownUserNamed_RedirectsWithAadsts50034()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });

        var location = await AnswerAsync(env, IdentityTestEnvironment.NewPkce().Challenge, null, "nobody@contoso.onmicrosoft.com", "accept");

        Assert.Equal("AADSTS50034", AuthorizationCallback.Parse(location.Query).ErrorCode);
    }

    [Fact]
    public async Task Post_RedirectUriChangedInTheForm_ErrorPageAndNoRedirect()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });
        using var http = env.CreateHttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = env.Application.ClientId,
            ["redirect_uri"] = "https://attacker.example/steal",
            ["response_type"] = "code",
            ["scope"] = "https://outlook.office.com/IMAP.AccessAsUser.All",
            ["login"] = env.User.UserPrincipalName,
            ["action"] = "accept",
        });

        using var response = await http.PostAsync(new Uri(env.Server.GetAuthority(env.Tenant), "oauth2/v2.0/authorize"), form, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_InteractiveButScopeNotOnTheApp_RedirectsWithAadsts65001BeforeThePage()
    {
        await using var env = await IdentityTestEnvironment.StartAsync(new EmulatorIdentityServerOptions { InteractiveSignIn = true });
        var bare = env.Directory.AddApplication(env.Tenant, "no delegated permissions").AddRedirectUri(IdentityTestEnvironment.RedirectUri);
        using var http = env.CreateHttpClient();

        using var response = await http.GetAsync(AuthorizeUrl(env, IdentityTestEnvironment.NewPkce().Challenge, null, bare.ClientId), Ct);
        var callback = AuthorizationCallback.Parse(response.Headers.Location?.Query);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("consent_required", callback.Error);
        Assert.Equal("AADSTS65001", callback.ErrorCode);
    }

    [Fact]
    public async Task TokenRequestsWithSecret_TwoSecrets_CountsEachAcceptedUse()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var second = env.Application.AddSecret();
        var first = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();
        var rotated = env.ConfidentialClient().WithClientSecret(second.Value).Build();
        string[] scopes = ["https://outlook.office365.com/.default"];

        await first.AcquireTokenForClient(scopes).ExecuteAsync(Ct);
        await rotated.AcquireTokenForClient(scopes).ExecuteAsync(Ct);
        await rotated.AcquireTokenForClient(scopes).WithForceRefresh(true).ExecuteAsync(Ct);
        await Assert.ThrowsAsync<MsalServiceException>(() => env.ConfidentialClient().WithClientSecret("wrong").Build().AcquireTokenForClient(scopes).ExecuteAsync(Ct));

        Assert.Equal(1, env.Server.Counters.TokenRequestsWithSecret(env.Secret));
        Assert.Equal(2, env.Server.Counters.TokenRequestsWithSecret(second));
    }

    private static Uri AuthorizeUrl(IdentityTestEnvironment env, string challenge, string? loginHint, string? clientId = null) =>
        new(env.Server.GetAuthority(env.Tenant), "oauth2/v2.0/authorize?"
            + $"client_id={clientId ?? env.Application.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(IdentityTestEnvironment.RedirectUri)}"
            + $"&scope={Uri.EscapeDataString("https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile")}"
            + $"&state=xyz&code_challenge={challenge}&code_challenge_method=S256"
            + (loginHint is null ? string.Empty : $"&login_hint={Uri.EscapeDataString(loginHint)}"));

    /// <summary>Opens the page, then submits its form with the hidden fields it carries, the user name and the button pressed.</summary>
    private static async Task<Uri> AnswerAsync(IdentityTestEnvironment env, string challenge, string? loginHint, string login, string action)
    {
        using var http = env.CreateHttpClient();
        var html = await http.GetStringAsync(AuthorizeUrl(env, challenge, loginHint), Ct);
        var fields = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["login"] = login;
        fields["action"] = action;
        using var form = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri(env.Server.GetAuthority(env.Tenant), "oauth2/v2.0/authorize"), form, Ct);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
