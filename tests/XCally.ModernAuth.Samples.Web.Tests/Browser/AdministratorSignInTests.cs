using System.Net;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>The local administrator's sign-in: wrong passwords, the lockout after five, and only the hash in the database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdministratorSignInTests
{
    private const string Password = "the administrator's real password";

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockedOutEvenWithTheRightOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ConsoleHost.StartAsync(new Dictionary<string, string?> { ["Admin:Password"] = Password }, ct);
        using var client = new AdminClient(host.CreateClient());

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.PostFormAsync("/signin", new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "guess " + i });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("The user name or password is wrong.", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using var locked = await client.PostFormAsync("/signin", new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Too many wrong passwords", await locked.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromMinutes(6));
        await client.SignInAsync(Password);
    }

    [Fact]
    public async Task Setup_PasswordAlreadySet_RedirectsToSignInAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ConsoleHost.StartAsync(new Dictionary<string, string?> { ["Admin:Password"] = Password }, ct);
        using var client = new AdminClient(host.CreateClient());

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await client.AntiforgeryTokenAsync("/signin"),
            ["Password"] = "a takeover password!",
            ["Confirmation"] = "a takeover password!",
        });
        using var setup = await client.Http.PostAsync("/setup", form, ct);

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal("/signin", setup.Headers.Location?.OriginalString);
        await client.SignInAsync(Password);
        await using var db = await host.OpenDatabaseAsync();
        var administrator = Assert.Single(db.Administrators);
        Assert.StartsWith("AQAAAA", administrator.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, administrator.PasswordHash, StringComparison.Ordinal);
    }
}
