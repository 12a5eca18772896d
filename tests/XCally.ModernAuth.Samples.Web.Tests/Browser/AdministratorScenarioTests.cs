using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Web.Tests.Browser;

/// <summary>
/// The administrator's whole set-up in a real browser (Debian's headless Chromium): first password, a provider refused for a bad
/// client id and then saved, an account, the delegated sign-in on the emulator's page, the check, a rotated secret and a deleted
/// account, each verified where it lands: the page, the database, the emulator's counters.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdministratorScenarioTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private const string ProviderName = "contoso-delegated";

    private ConsoleHost _host = null!;
    private PuppeteerSharp.IBrowser _browser = null!;
    private BrowserPage _page = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ConsoleHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        _browser = await Chromium.LaunchAsync(
            Path.Combine(_host.DataDirectory, "chromium-profile"),
            ConsoleHost.SpkiHash(_host.Certificate),
            ConsoleHost.SpkiHash(_host.Demo.Office365.Identity.Certificate));
        _page = new BrowserPage(await _browser.NewPageAsync(), _host.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Administrator_SetsUpADelegatedMailboxEndToEnd()
    {
        var emulator = _host.Demo.Office365;
        var application = emulator.Directory.AddApplication(emulator.Tenant, "Contoso mail channel")
            .AddDelegatedScopes(EmulatorApplication.ImapAccessAsUser, EmulatorApplication.PopAccessAsUser, EmulatorApplication.SmtpSend)
            .AddRedirectUri(_host.CallbackUrl);
        var firstSecret = application.AddSecret();
        var mailbox = emulator.AddUserWithMailbox("rita", "Rita Moreno");
        var address = mailbox.Address;

        await StepAsync("first-run", async () =>
        {
            await _page.OpenAsync("/");
            Assert.EndsWith("/signin?ReturnUrl=%2F", _page.Url, StringComparison.Ordinal);
            Assert.True(await _page.ExistsAsync("#first-run"));
            await _page.OpenAsync("/setup");
            await _page.FillAsync("#Password", Password);
            await _page.FillAsync("#Confirmation", Password);
            await _page.ClickAndWaitAsync("#set-password");
            Assert.Contains("password is set", await _page.TextAsync("#notice"), StringComparison.Ordinal);
        });

        await StepAsync("sign-in", async () =>
        {
            await _page.FillAsync("#UserName", "admin");
            await _page.FillAsync("#Password", Password);
            await _page.ClickAndWaitAsync("#sign-in");
            Assert.Equal("admin", await _page.TextAsync("#signed-in-as"));
            Assert.Contains("embedded emulator", await _page.TextAsync("#demo-notice"), StringComparison.Ordinal);
            Assert.Contains("demo-office365", await _page.TextAsync("#home-providers"), StringComparison.Ordinal);

            // Over HTTPS every cookie is Secure and out of reach of script; the session's is Lax (the identity platform's
            // redirect back must carry it), the anti-forgery one Strict.
            var cookies = (await _page.Page.GetCookiesAsync()).ToDictionary(cookie => cookie.Name);
            Assert.True(cookies["xcally-admin"] is { Secure: true, HttpOnly: true, SameSite: PuppeteerSharp.SameSite.Lax }, "session cookie flags");
            Assert.True(cookies["xcally-admin-antiforgery"] is { Secure: true, HttpOnly: true, SameSite: PuppeteerSharp.SameSite.Strict }, "anti-forgery cookie flags");
            Assert.All(cookies.Values, cookie => Assert.True(cookie.Secure, cookie.Name));
        });

        await StepAsync("salesforce-provider", async () =>
        {
            await _page.OpenAsync("/providers");
            await _page.ClickAndWaitAsync("tr[data-provider='demo-salesforce'] a");
            Assert.Matches(@"^Current: set on \d{4}-\d{2}-\d{2}\. Leave empty", await _page.TextAsync("#secret-state"));
            await _page.ClickAndWaitAsync("#check-salesforce");
            Assert.Contains($"Signed in to {_host.Demo.Salesforce.MyDomainUrl}", await _page.TextAsync("#salesforce-check"), StringComparison.Ordinal);
        });

        await StepAsync("bad-client-id", async () =>
        {
            await _page.OpenAsync("/providers");
            await _page.ClickAndWaitAsync("#add-azure");
            await _page.FillAsync("#Form_Name", ProviderName);
            await _page.FillAsync("#Form_TenantId", emulator.Tenant.TenantId);
            await _page.FillAsync("#Form_ClientId", "contoso-mail-app");
            await _page.SelectAsync("#Form_Flow", "1");
            Assert.Equal(_host.CallbackUrl, await _page.Page.EvaluateExpressionAsync<string>("document.querySelector('#Form_RedirectUri').value"));
            await _page.FillAsync("#Form_ClientSecret", firstSecret.Value);
            await _page.Page.ClickAsync("details summary");
            await _page.FillAsync("#Form_AuthorityHost", emulator.Identity.BaseAddress.ToString());
            await _page.SetCheckedAsync("#Form_AllowNonMicrosoftAuthority", true);
            await _page.ClickAndWaitAsync("#save-provider");

            var error = await _page.TextAsync("[data-valmsg-for='Form.ClientId']");
            Assert.Contains("'contoso-mail-app' is not a GUID", error, StringComparison.Ordinal);
            Assert.Contains("Application (client) ID", error, StringComparison.Ordinal);
            Assert.DoesNotContain(firstSecret.Value, await _page.HtmlAsync(), StringComparison.Ordinal);
            await using var db = await _host.OpenDatabaseAsync();
            Assert.False(await db.CloudProviders.AnyAsync(p => p.Name == ProviderName, TestContext.Current.CancellationToken));
        });

        await StepAsync("fixed-provider", async () =>
        {
            await _page.FillAsync("#Form_ClientId", application.ClientId);
            await _page.FillAsync("#Form_ClientSecret", firstSecret.Value);
            await _page.ClickAndWaitAsync("#save-provider");
            Assert.EndsWith("/providers", _page.Url, StringComparison.Ordinal);
            var row = await _page.TextAsync($"tr[data-provider='{ProviderName}']");
            Assert.Contains("Delegated", row, StringComparison.Ordinal);
            Assert.Contains("secret set on", row, StringComparison.Ordinal);
            Assert.DoesNotContain(firstSecret.Value, await _page.HtmlAsync(), StringComparison.Ordinal);
        });

        await StepAsync("add-account", async () =>
        {
            await _page.OpenAsync("/accounts");
            await _page.ClickAndWaitAsync("#add-account");
            await _page.FillAsync("#Form_Address", address);
            var providerValue = await _page.Page.EvaluateFunctionAsync<string>(
                "(name) => Array.from(document.querySelectorAll('#Form_CloudProviderId option')).find(o => o.textContent.startsWith(name + ' ')).value", ProviderName);
            await _page.SelectAsync("#Form_CloudProviderId", providerValue);
            foreach (var (protocol, prefix) in new[] { (MailProtocol.Imap, "Imap"), (MailProtocol.Pop3, "Pop3"), (MailProtocol.Smtp, "Smtp") })
            {
                var endpoint = emulator.Mail.GetEndpoint(protocol);
                await _page.FillAsync($"#Form_{prefix}_Host", endpoint.Host);
                await _page.FillAsync($"#Form_{prefix}_Port", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await _page.SelectAsync($"#Form_{prefix}_TlsMode", endpoint.TlsMode.ToString());
            }

            await _page.ClickAndWaitAsync("#save-account");
            Assert.EndsWith("/accounts", _page.Url, StringComparison.Ordinal);
            Assert.Contains(ProviderName, await _page.TextAsync($"tr[data-account='{address}']"), StringComparison.Ordinal);
        });

        await StepAsync("authenticate", async () =>
        {
            await _page.ClickAndWaitAsync($"tr[data-account='{address}'] a.authenticate");
            Assert.Contains("No sign-in is stored", await _page.TextAsync("#authorization-state"), StringComparison.Ordinal);
            await _page.ClickAndWaitAsync("#start-sign-in");

            // The emulator's sign-in page, as Entra's would be: the user to sign in and the permissions asked for.
            Assert.StartsWith(emulator.Identity.BaseAddress.ToString(), _page.Url, StringComparison.Ordinal);
            Assert.Equal(address, await _page.Page.EvaluateExpressionAsync<string>("document.querySelector('#login').value"));
            Assert.Contains("IMAP.AccessAsUser.All", await _page.TextAsync("#permissions"), StringComparison.Ordinal);
            await _page.ClickAndWaitAsync("#accept");

            Assert.StartsWith(_host.CallbackUrl, _page.Url, StringComparison.Ordinal);
            Assert.Equal("Signed in", await _page.TextAsync("#callback-heading"));
            Assert.Equal(address, await _page.TextAsync("#signed-in-user"));
        });

        await StepAsync("check", async () =>
        {
            await CheckAsync(address);
            // The SDK's diagnosis: configuration, credential, tenant, token, claims, then connect, SASL, sign-in and mailbox for
            // each of IMAP, POP3 and SMTP, every one passed.
            var outcomes = await _page.Page.EvaluateExpressionAsync<string[]>(
                "Array.from(document.querySelectorAll('#checklist li')).map(li => li.dataset.outcome)");
            Assert.Equal(17, outcomes.Length);
            Assert.All(outcomes, outcome => Assert.Equal("Passed", outcome));
            Assert.True(await _page.ExistsAsync("#all-passed"));
            await Artifacts.SaveForDocsAsync(_page.Page, "web-console-check");
        });

        await StepAsync("status", async () =>
        {
            string row = string.Empty, watched = string.Empty;
            for (var attempt = 0; attempt < 50 && !watched.Contains("Idle since", StringComparison.Ordinal); attempt++)
            {
                await _page.OpenAsync("/status");
                row = await _page.TextAsync($"tr[data-account='{address}']");
                watched = await _page.TextAsync($"tr[data-account='support@{emulator.Tenant.Domain}']");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            Assert.Contains("yes", row, StringComparison.Ordinal);
            Assert.Equal(3, row.Count(c => c == '✔'));
            Assert.Contains("not watched", row, StringComparison.Ordinal);
            Assert.Contains("Idle since", watched, StringComparison.Ordinal);
            Assert.Contains("Healthy", await _page.TextAsync("main p"), StringComparison.Ordinal);
        });

        var secondSecret = application.AddSecret();
        var firstSecretUses = 0;
        await StepAsync("rotate-secret", async () =>
        {
            await _page.OpenAsync("/providers");
            await _page.ClickAndWaitAsync($"tr[data-provider='{ProviderName}'] a");
            await _page.FillAsync("#Form_ClientSecret", secondSecret.Value);
            firstSecretUses = emulator.Identity.Counters.TokenRequestsWithSecret(firstSecret);
            await _page.ClickAndWaitAsync("#save-provider");
            Assert.Contains($"'{ProviderName}' saved", await _page.TextAsync("#notice"), StringComparison.Ordinal);
            Assert.Equal(0, emulator.Identity.Counters.TokenRequestsWithSecret(secondSecret));

            // The token in hand stays good; the next one, refreshed in the background, is asked for with the new secret.
            await CheckAsync(address);
            Assert.True(await _page.ExistsAsync("#all-passed"));
            await Eventually.TrueAsync(
                () => emulator.Identity.Counters.TokenRequestsWithSecret(secondSecret) > 0,
                () => _host.Time.Advance(TimeSpan.FromMinutes(10)),
                "a token request with the new secret");
            Assert.Equal(firstSecretUses, emulator.Identity.Counters.TokenRequestsWithSecret(firstSecret));
            await CheckAsync(address);
            Assert.True(await _page.ExistsAsync("#all-passed"));
        });

        await StepAsync("delete-account", async () =>
        {
            await _page.OpenAsync("/accounts");
            await _page.ClickAndWaitAsync($"tr[data-account='{address}'] a.delete");
            await _page.ClickAndWaitAsync("#confirm-delete");
            Assert.Contains("deleted", await _page.TextAsync("#notice"), StringComparison.Ordinal);
            Assert.False(await _page.ExistsAsync($"tr[data-account='{address}']"));

            // Two hours on the clock: the app-only demo mailbox the console watches keeps refreshing (proof that time moved for
            // the background refreshes), the deleted account's tokens are never asked for again.
            var requests = emulator.Identity.Counters.TokenRequestsForClient(application.ClientId);
            for (var i = 0; i < 4; i++)
            {
                var control = emulator.Identity.Counters.TokenRequestsForGrantType("client_credentials");
                await Eventually.TrueAsync(
                    () => emulator.Identity.Counters.TokenRequestsForGrantType("client_credentials") > control,
                    () => _host.Time.Advance(TimeSpan.FromMinutes(10)),
                    "a background refresh of the demo app-only provider");
            }

            Assert.Equal(requests, emulator.Identity.Counters.TokenRequestsForClient(application.ClientId));
        });
    }

    [Fact]
    public async Task Authenticate_UserCancelsAtTheSignInPage_ShownAsCancelledWithTraceIdAndNothingStored()
    {
        var emulator = _host.Demo.Office365;
        await SignInAsAdministratorAsync();
        await using (var db = await _host.OpenDatabaseAsync())
        {
            var account = await db.EmailAccounts.SingleAsync(a => a.Address == _host.Demo.DelegatedAddress, TestContext.Current.CancellationToken);
            await _page.OpenAsync($"/accounts/{account.Id}/authenticate");
        }

        await StepAsync("cancel", async () =>
        {
            await _page.ClickAndWaitAsync("#start-sign-in");
            Assert.StartsWith(emulator.Identity.BaseAddress.ToString(), _page.Url, StringComparison.Ordinal);
            await _page.ClickAndWaitAsync("#cancel");

            Assert.Equal("The sign-in was cancelled", await _page.TextAsync("#callback-heading"));
            Assert.Equal("ConsentRequired", await _page.Page.EvaluateExpressionAsync<string>("document.querySelector('#sign-in-failed').dataset.category"));
            Assert.Contains("was cancelled at the sign-in page", await _page.TextAsync("#failure-message"), StringComparison.Ordinal);
            Assert.Contains($"complete it as '{_host.Demo.DelegatedAddress}'", await _page.TextAsync("#failure-fix"), StringComparison.Ordinal);
            Assert.Equal("AADSTS65004", await _page.TextAsync("#error-code"));
            Assert.Matches("^[0-9a-f-]{36}$", await _page.TextAsync("#trace-id"));
            Assert.Matches("^[0-9a-f-]{36}$", await _page.TextAsync("#correlation-id"));
        });

        await StepAsync("not-stored", async () =>
        {
            await _page.Page.GoBackAsync();
            await _page.Page.GoBackAsync();
            await _page.Page.ReloadAsync();
            Assert.Contains("No sign-in is stored", await _page.TextAsync("#authorization-state"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Authenticate_AnotherUserSignsIn_RefusedInWords()
    {
        var emulator = _host.Demo.Office365;
        var other = emulator.AddUserWithMailbox("mallory");
        await SignInAsAdministratorAsync();
        await using (var db = await _host.OpenDatabaseAsync())
        {
            var account = await db.EmailAccounts.SingleAsync(a => a.Address == _host.Demo.DelegatedAddress, TestContext.Current.CancellationToken);
            await _page.OpenAsync($"/accounts/{account.Id}/authenticate");
        }

        await StepAsync("wrong-user", async () =>
        {
            await _page.ClickAndWaitAsync("#start-sign-in");
            await _page.FillAsync("#login", other.Address);
            await _page.ClickAndWaitAsync("#accept");

            Assert.Equal("Refused: another user signed in", await _page.TextAsync("#callback-heading"));
            var message = await _page.TextAsync("#failure-message");
            Assert.Contains($"was made as '{other.Address}', not as the account's user '{_host.Demo.DelegatedAddress}'", message, StringComparison.Ordinal);
            Assert.Contains("it was not stored", message, StringComparison.Ordinal);
        });
    }

    private async Task SignInAsAdministratorAsync()
    {
        await _host.App.Services.GetRequiredService<Administrators.AdministratorAccounts>().SetPasswordAsync(Password, TestContext.Current.CancellationToken);
        await _page.OpenAsync("/signin");
        await _page.FillAsync("#UserName", "admin");
        await _page.FillAsync("#Password", Password);
        await _page.ClickAndWaitAsync("#sign-in");
        Assert.Equal("admin", await _page.TextAsync("#signed-in-as"));
    }

    private async Task CheckAsync(string address)
    {
        await _page.OpenAsync("/accounts");
        await _page.ClickAndWaitAsync($"tr[data-account='{address}'] a.check");
        await _page.ClickAndWaitAsync("#run-check");
        await _page.Page.WaitForSelectorAsync("#checklist");
    }

    private Task StepAsync(string step, Func<Task> action, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        Artifacts.StepAsync(_page.Page, test, step, action);
}
