using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Samples.Web.Demo;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>
/// Administrators signing in with Entra ID (<c>Admin:OpenIdConnect</c>): the sign-in page offers it, the challenge is an
/// authorization code request with PKCE and a nonce to the configured tenant, and a forged answer lands on the sign-in page with
/// the reason, never in the console. The sign-in host here is the emulator's (its discovery document and keys).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EntraSignInTests
{
    [Fact]
    public async Task SignIn_EntraConfigured_ChallengeGoesToTheTenantWithPkceAndAForgedAnswerIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var clientId = Guid.NewGuid().ToString();
        await using var host = await ConsoleHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Admin:OpenIdConnect:TenantId"] = Guid.NewGuid().ToString(),
                ["Admin:OpenIdConnect:ClientId"] = clientId,
                ["Admin:OpenIdConnect:ClientSecret"] = "a-secret-of-the-console-registration",
            },
            ct,
            services: services => services.AddOptions<OpenIdConnectOptions>(AdminConsole.EntraScheme).PostConfigure<DemoEnvironment>((oidc, demo) =>
            {
                oidc.Authority = new Uri(demo.Office365.Identity.GetAuthority(demo.Office365.Tenant), "v2.0").ToString();
                oidc.BackchannelHttpHandler = demo.Office365.Identity.CreateHttpMessageHandler();
            }));
        using var client = new AdminClient(host.CreateClient());

        Assert.Contains("id=\"sign-in-entra\"", await client.Http.GetStringAsync("/signin", ct), StringComparison.Ordinal);

        using var challenge = await client.Http.GetAsync("/signin/entra", ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.StartsWith(new Uri(host.Demo.Office365.Identity.GetAuthority(host.Demo.Office365.Tenant), "oauth2/v2.0/authorize").ToString(), location.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(clientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(new Uri(host.BaseAddress, "signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["nonce"]));

        using var forged = await client.Http.GetAsync("/signin-oidc?code=forged&state=forged", ct);
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.StartsWith("/signin?failure=", forged.Headers.Location?.OriginalString, StringComparison.Ordinal);
        using var home = await client.Http.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/signin", home.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}
