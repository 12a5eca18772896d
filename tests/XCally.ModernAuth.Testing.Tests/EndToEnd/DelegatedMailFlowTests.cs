using MailKit;
using MailKit.Search;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

public class DelegatedMailFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthorizationCode_SignInThenHoursOfMail_RefreshedSilentlyOnEveryProtocol()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();

        var authorized = await host.SignInAsync(environment.Agent);

        Assert.Equal(environment.Agent, authorized.AccountAddress);
        Assert.Equal(environment.Agent, authorized.SignedInUser, ignoreCase: true);
        var first = await host.TokenAsync(environment.Agent);
        for (var hour = 1; hour <= 4; hour++)
        {
            environment.Time.Advance(TimeSpan.FromHours(1));
            var subject = $"Hour {hour} {Guid.NewGuid():N}";
            using (var smtp = await host.Connector.ConnectSmtpAsync(environment.Agent, Ct))
            {
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse(environment.Agent));
                message.To.Add(MailboxAddress.Parse(environment.Agent));
                message.Subject = subject;
                message.Body = new TextPart("plain") { Text = "Sent as the signed-in user." };
                await smtp.SendAsync(message, Ct);
                await smtp.DisconnectAsync(true, Ct);
            }

            using (var imap = await host.Connector.ConnectImapAsync(environment.Agent, Ct))
            {
                await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
                Assert.Single(await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject), Ct));
                await imap.DisconnectAsync(true, Ct);
            }

            using (var pop3 = await host.Connector.ConnectPop3Async(environment.Agent, Ct))
            {
                Assert.Equal(hour, pop3.Count);
                await pop3.DisconnectAsync(true, Ct);
            }
        }

        var last = await host.TokenAsync(environment.Agent);
        Assert.NotEqual(first.Token, last.Token);
        Assert.Equal(1, environment.Emulator.Identity.Counters.AuthorizeRequests);
        Assert.InRange(environment.Emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token"), 4, 8);
    }

    public static TheoryData<string> LostGrants => new() { "revoked", "disabled", "consent-withdrawn" };

    [Theory]
    [MemberData(nameof(LostGrants))]
    public async Task GetAccessTokenAsync_GrantLost_ReauthorizationRequiredForThatAccountOnly(string how)
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();
        await host.SignInAsync(environment.Agent);
        await host.SignInAsync(environment.Clerk);
        await host.TokenAsync(environment.Agent);
        await host.TokenAsync(environment.Clerk);

        switch (how)
        {
            case "revoked":
                environment.Emulator.Identity.RevokeRefreshTokens(environment.AgentUser);
                break;
            case "disabled":
                environment.AgentUser.Enabled = false;
                break;
            default:
                environment.Emulator.Identity.WithdrawConsent(environment.Emulator.Application, environment.AgentUser);
                break;
        }

        environment.Time.Advance(TimeSpan.FromHours(2));

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(environment.Agent));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.Equal(environment.Agent, error.AccountAddress);
        Assert.Equal(DelegatedEnvironment.ProviderName, error.CloudProviderName);
        Assert.Contains(environment.Agent, error.Message, StringComparison.Ordinal);
        Assert.Equal(how == "consent-withdrawn" ? "AADSTS65001" : "AADSTS50173", error.ErrorCode);

        using var imap = await host.Connector.ConnectImapAsync(environment.Clerk, Ct);
        Assert.True(imap.IsAuthenticated);
        await imap.DisconnectAsync(true, Ct);
    }

    [Fact]
    public async Task GetAccessTokenAsync_NeverSignedIn_ReauthorizationRequiredWithoutARequest()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(environment.Agent));

        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.Equal(environment.Agent, error.AccountAddress);
        Assert.Equal(0, environment.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task RevokeAsync_SignedIn_EntryAndCachedTokenGoneAndNextCallReauthorizationRequired()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();
        await host.SignInAsync(environment.Agent);
        await host.SignInAsync(environment.Clerk);
        var account = await host.AccountAsync(environment.Agent);
        await host.TokenAsync(environment.Agent);

        await host.Authorization.RevokeAsync(account, Ct);

        Assert.False(await host.Authorization.IsAuthorizedAsync(account, Ct));
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(environment.Agent));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.True(await host.Authorization.IsAuthorizedAsync(await host.AccountAsync(environment.Clerk), Ct));

        // The clerk's entry, and the agent's removal marker (no tokens), which keeps another process from writing a copy back.
        Assert.Equal(2, System.IO.Directory.GetFiles(environment.CacheFolder, "*.bin").Length);
        Assert.False(await environment.StartHost().Authorization.IsAuthorizedAsync(account, Ct));
    }

    [Fact]
    public async Task CompleteAsync_OtherUserSignedIn_RefusedAndNothingStored()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.SignInAsync(environment.Agent, loginHint: environment.Clerk));

        Assert.Equal(ModernAuthErrorCategory.WrongUserSignedIn, error.Category);
        Assert.Equal(environment.Agent, error.AccountAddress);
        Assert.Contains(environment.Clerk, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(await host.Authorization.IsAuthorizedAsync(await host.AccountAsync(environment.Agent), Ct));
        var token = await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(environment.Agent));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, token.Category);
    }

    public static TheoryData<string> BadStates => new() { "tampered", "unknown", "reused", "expired", "empty" };

    [Theory]
    [MemberData(nameof(BadStates))]
    public async Task CompleteAsync_BadState_RefusedAsInvalidAuthorizationState(string kind)
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();
        var (code, state) = await host.BeginAndSignInAsync(environment.Agent);
        switch (kind)
        {
            case "tampered":
                state = (state[0] == 'A' ? "B" : "A") + state[1..];
                break;
            case "unknown":
                state = Guid.NewGuid().ToString("N");
                break;
            case "reused":
                await host.Authorization.CompleteAsync(code, state, Ct);
                (code, _) = await host.BeginAndSignInAsync(environment.Agent);
                break;
            case "expired":
                environment.Time.Advance(TimeSpan.FromMinutes(11));
                break;
            default:
                state = string.Empty;
                break;
        }

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Authorization.CompleteAsync(code, state, Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidAuthorizationState, error.Category);
        Assert.DoesNotContain(code, error.ToString(), StringComparison.Ordinal);
        if (kind == "expired")
        {
            Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BeginAsync_AuthorizeUrl_CarriesPkceChallengeAndStateButNoVerifier()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();

        var url = await host.Authorization.BeginAsync(await host.AccountAsync(environment.Agent), cancellationToken: Ct);

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"].ToString()));
        Assert.Single(query["state"]);
        Assert.False(query.ContainsKey("code_verifier"));
        Assert.Equal(environment.Agent, query["login_hint"].ToString());
        Assert.Contains("https://outlook.office.com/IMAP.AccessAsUser.All", query["scope"].ToString(), StringComparison.Ordinal);
        Assert.Contains("offline_access", query["scope"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeWithDeviceCodeAsync_UserApproves_TokensThenMailAndRefreshAsPublicClient()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        environment.Emulator.Application.AllowPublicClientFlows = true;
        var host = environment.StartHost();
        DeviceCodeInfo? shown = null;

        var authorized = await host.Authorization.AuthorizeWithDeviceCodeAsync(
            await host.AccountAsync(environment.Agent),
            (info, _) =>
            {
                shown = info;
                environment.Emulator.Identity.ApproveDeviceCode(info.UserCode, environment.AgentUser);
                return Task.CompletedTask;
            },
            Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.NotNull(shown);
        Assert.Equal(environment.Agent, shown.AccountAddress);
        Assert.Equal(environment.Agent, authorized.SignedInUser, ignoreCase: true);
        using (var imap = await host.Connector.ConnectImapAsync(environment.Agent, Ct))
        {
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true, Ct);
        }

        environment.Time.Advance(TimeSpan.FromHours(2));
        using (var imap = await host.Connector.ConnectImapAsync(environment.Agent, Ct))
        {
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true, Ct);
        }

        Assert.True(environment.Emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token") >= 1);
    }

    [Fact]
    public async Task AuthorizeWithDeviceCodeAsync_PublicClientFlowsOff_RefusedWithThePortalSetting()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var host = environment.StartHost();
        var account = await host.AccountAsync(environment.Agent);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Authorization.AuthorizeWithDeviceCodeAsync(
            account,
            (info, _) =>
            {
                environment.Emulator.Identity.ApproveDeviceCode(info.UserCode, environment.AgentUser);
                return Task.CompletedTask;
            },
            Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidClientConfiguration, error.Category);
        Assert.Contains("Allow public client flows", error.Message, StringComparison.Ordinal);
    }
}
