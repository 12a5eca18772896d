using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>
/// Nothing administrative is open to an anonymous caller: every page and every form post the console maps (read from its routing
/// table, so a page added later is covered too) answers with the sign-in page, and only the sign-in, first-run, error and
/// health endpoints allow anonymous callers.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnonymousAccessTests
{
    private static readonly string[] Anonymous = ["/signin", "/setup", "/error", "/health"];

    [Fact]
    public async Task EveryAdminPageAndFormPost_Anonymous_RedirectedToSignIn()
    {
        await using var host = await ConsoleHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new AdminClient(host.CreateClient());
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).SelectMany(Paths).Distinct().Order().ToArray();
        var protectedPaths = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null).SelectMany(Paths).Distinct().Order().ToArray();

        Assert.Equal(Anonymous.Order(), anonymous);
        Assert.Equal(
            ["/", "/accounts", "/accounts/1/authenticate", "/accounts/1/check", "/accounts/1/delete", "/accounts/edit", "/accounts/edit/1", "/providers",
             "/providers/1/delete", "/providers/edit", "/providers/edit/1", "/providers/salesforce", "/providers/salesforce/1", "/signin-xcally", "/signout", "/status"],
            protectedPaths);

        // A genuine anti-forgery token (from the anonymous sign-in page) does not help either.
        var token = await client.AntiforgeryTokenAsync("/signin");
        foreach (var path in protectedPaths)
        {
            using var get = await client.Http.GetAsync(path, TestContext.Current.CancellationToken);
            AssertRefused(get, "GET", path);

            foreach (var handler in new[] { string.Empty, "?handler=Check", "?handler=Revoke" })
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Form.Name"] = "x" });
                using var post = await client.Http.PostAsync(path + handler, form, TestContext.Current.CancellationToken);
                AssertRefused(post, "POST", path + handler);
            }
        }

        await using var db = await host.OpenDatabaseAsync();
        Assert.DoesNotContain(db.CloudProviders, p => p.Name == "x");
    }

    private static void AssertRefused(HttpResponseMessage response, string method, string path)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path} answered {(int)response.StatusCode} to an anonymous caller.");
        Assert.StartsWith("/signin?ReturnUrl=", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    // Route parameters get the id of a demo row; an optional one is also left out (the "add" form).
    private static IEnumerable<string> Paths(RouteEndpoint endpoint)
    {
        var full = new List<string>();
        var withoutOptional = new List<string>();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            var optional = segment.Parts.Any(part => part is Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsOptional: true });
            var text = string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1",
                _ => string.Empty,
            }));
            full.Add(text);
            if (!optional)
            {
                withoutOptional.Add(text);
            }
        }

        yield return "/" + string.Join('/', full);
        if (withoutOptional.Count != full.Count)
        {
            yield return "/" + string.Join('/', withoutOptional);
        }
    }
}
