using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Salesforce.Tests.Infrastructure;

namespace XCally.ModernAuth.Salesforce.Tests.Tokens;

/// <summary>Each flow against the emulated org, each of its refusals, and the session fast path.</summary>
public class SalesforceSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(SalesforceFlow.ClientCredentials, "client_credentials")]
    [InlineData(SalesforceFlow.JwtBearer, "urn:ietf:params:oauth:grant-type:jwt-bearer")]
    [InlineData(SalesforceFlow.UsernamePassword, "password")]
    public async Task GetSessionAsync_EachFlow_SignsInAndTheSessionOpensTheRestApi(SalesforceFlow flow, string grantType)
    {
        await using var host = await SalesforceTestHost.StartAsync(flow, configureEmulator: o => o.AllowUsernamePasswordFlows = true);

        var session = await host.Sessions.GetSessionAsync("salesforce", Ct);
        var caseId = await host.Client.CreateCaseAsync(new SalesforceCase { Subject = "Where is my order?" }, Ct);

        Assert.Equal(host.Emulator.MyDomainUrl, session.InstanceUrl);
        // From issued_at, which Salesforce gives in milliseconds.
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromHours(2), session.AccessToken.ExpiresOn, TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(session.AccessToken.Token, session.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("500", caseId, StringComparison.Ordinal);
        Assert.Equal(18, caseId.Length);
        Assert.Equal(1, host.Emulator.Counters.TokenRequestsForGrantType(grantType));
        Assert.Equal(1, host.Emulator.Counters.TokenRequests);
    }

    [Fact]
    public async Task GetSessionAsync_ThousandConcurrentCallersOnAColdCache_OneTokenRequest()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await host.Sessions.GetSessionAsync("salesforce", Ct);
        }, Ct)).ToArray();
        start.Set();
        var sessions = await Task.WhenAll(callers);

        Assert.Equal(1, host.Emulator.Counters.TokenRequests);
        Assert.Single(sessions.Select(s => s.AccessToken.Token).Distinct());
    }

    [Fact]
    public async Task RestCall_SessionTimedOutMidRun_RenewedOnceAndTheCallSucceeds()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        await host.Client.CreateCaseAsync(new SalesforceCase { Subject = "first" }, Ct);

        // The org ends sessions before the timeout the SDK was told (a shorter org policy, or an administrator's revocation).
        host.Emulator.Org.ExpireSessions();
        var id = await host.Client.CreateCaseAsync(new SalesforceCase { Subject = "second" }, Ct);

        Assert.Equal(2, host.Emulator.Org.Records("Case").Count);
        Assert.Equal(id, (string?)host.Emulator.Org.Records("Case")[1]["Id"]);
        Assert.Equal(2, host.Emulator.Counters.TokenRequests);
        Assert.Equal(1, host.Emulator.Counters.RefusedSessions);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message.Contains("INVALID_SESSION_ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestCall_ManyCallersRefusedAtOnce_OneRenewal()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        await host.Sessions.GetSessionAsync("salesforce", Ct);
        host.Emulator.Org.ExpireSessions();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => host.Client.CreateCaseAsync(new SalesforceCase { Subject = $"case {i}" }, Ct)));

        Assert.Equal(20, host.Emulator.Org.Records("Case").Count);
        Assert.Equal(2, host.Emulator.Counters.TokenRequests);
    }

    [Fact]
    public async Task RestCall_SessionRefusedAgainAfterRenewal_ReauthorizationRequiredWithoutALoop()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        host.Emulator.Org.SessionTimeout = TimeSpan.Zero;

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Client.CreateCaseAsync(new SalesforceCase { Subject = "x" }, Ct));

        Assert.True(ex.Category == ModernAuthErrorCategory.ReauthorizationRequired, ex.ToString());
        Assert.Equal("INVALID_SESSION_ID", ex.ErrorCode);
        Assert.Equal("Session expired or invalid", ex.ServerResponse);
        Assert.Equal(2, host.Emulator.Counters.TokenRequests);
    }

    [Fact]
    public async Task GetSessionAsync_BeforeTheSessionTimeout_RenewedInTheBackgroundSoNoCallerWaits()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        var first = await host.Sessions.GetSessionAsync("salesforce", Ct);

        // Renewal is due a quarter to three quarters of the 2-hour session timeout after sign-in (half, jittered by ±50%): move
        // past the latest (90 min) while the session is still served, and give the background renewal a moment.
        host.Time.Advance(TimeSpan.FromMinutes(95));

        // The emulator counts the request when it arrives, a moment before the renewed session is stored: wait for the session.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var second = await host.Sessions.GetSessionAsync("salesforce", Ct);
        while (second.AccessToken.Token == first.AccessToken.Token && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
            second = await host.Sessions.GetSessionAsync("salesforce", Ct);
        }

        Assert.Equal(2, host.Emulator.Counters.TokenRequests);
        Assert.NotEqual(first.AccessToken.Token, second.AccessToken.Token);
        Assert.Equal(TokenSource.Cache, second.AccessToken.Source);
    }

    [Theory]
    [InlineData("consumerKey", "invalid_client_id", ModernAuthErrorCategory.ApplicationNotFound)]
    [InlineData("consumerSecret", "invalid_client", ModernAuthErrorCategory.InvalidClientSecret)]
    public async Task GetSessionAsync_WrongClientCredentials_RefusedWithCategoryAndFix(string wrong, string error, ModernAuthErrorCategory category)
    {
        await using var host = await SalesforceTestHost.StartAsync(configure: o =>
        {
            if (wrong == "consumerKey")
            {
                o.ConsumerKey = "3MVG9-not-this-org";
            }
            else
            {
                o.ConsumerSecret = "TheWrongSecret-42";
            }
        });

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(category, ex.Category);
        Assert.Equal(error, ex.ErrorCode);
        Assert.Contains("Manage Consumer Details", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("TheWrongSecret-42", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.Org.ConsumerSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_NoRunAsUser_InvalidClientConfigurationNamingRunAs()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        host.Emulator.Org.ClientCredentialsRunAs = null;

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientConfiguration, ex.Category);
        Assert.Equal("no client credentials user enabled", ex.ServerResponse);
        Assert.Contains("Run As", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_ClientCredentialsOnTheGenericLoginHost_InvalidConfigurationNamingMyDomain()
    {
        // The emulator's localhost plays login.salesforce.com, which serves every flow but client credentials.
        await using var host = await SalesforceTestHost.StartAsync(configure: o => o.LoginUrl = o.LoginUrl!.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Equal("request not supported on this domain", ex.ServerResponse);
        Assert.Contains("My Domain", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_JwtUserNotPreAuthorized_ConsentRequired()
    {
        await using var host = await SalesforceTestHost.StartAsync(SalesforceFlow.JwtBearer);
        host.Emulator.Org.PreAuthorizedUsers.Clear();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.ConsentRequired, ex.Category);
        Assert.Equal("user hasn't approved this consumer", ex.ServerResponse);
        Assert.Contains("Admin approved users are pre-authorized", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_JwtCertificateNotUploaded_InvalidClientCertificate()
    {
        await using var host = await SalesforceTestHost.StartAsync(SalesforceFlow.JwtBearer);
        host.Emulator.Org.UploadedCertificate = null;

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientCertificate, ex.Category);
        Assert.Equal("invalid assertion", ex.ServerResponse);
        Assert.Contains("Use digital signatures", ex.Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-10)]
    public async Task GetSessionAsync_JwtWithTheClocksMinutesApart_InvalidClientCertificateNamingTheClock(int emulatorAheadMinutes)
    {
        var orgClock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(emulatorAheadMinutes));
        await using var host = await SalesforceTestHost.StartAsync(SalesforceFlow.JwtBearer, emulatorClock: orgClock);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientCertificate, ex.Category);
        Assert.Equal("expired authorization code", ex.ServerResponse);
        Assert.Contains("clock", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_UsernamePasswordBlockedByTheOrg_RefusedNamingTheSettingAndTheMigration()
    {
        await using var host = await SalesforceTestHost.StartAsync(SalesforceFlow.UsernamePassword, configureEmulator: o => o.AllowUsernamePasswordFlows = false);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientConfiguration, ex.Category);
        Assert.Equal("invalid_grant", ex.ErrorCode);
        Assert.Equal("authentication failure", ex.ServerResponse);
        Assert.Contains("Allow OAuth Username-Password Flows", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("ClientCredentials or JwtBearer", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.Org.IntegrationUser.Password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_UsernamePasswordOptedIn_WarnedAboutAtStart()
    {
        await using var host = await SalesforceTestHost.StartAsync(SalesforceFlow.UsernamePassword, configureEmulator: o => o.AllowUsernamePasswordFlows = true);

        await host.Sessions.GetSessionAsync("salesforce", Ct);

        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("username-password flow", StringComparison.Ordinal));
        Assert.Contains("Move to ClientCredentials", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSessionAsync_GrantTypeNotEnabled_InvalidClientConfiguration()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        host.Emulator.Org.FailNextTokenRequests(400, "unsupported_grant_type", "grant type not supported");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientConfiguration, ex.Category);
        Assert.Equal("unsupported_grant_type", ex.ErrorCode);
    }

    [Fact]
    public async Task GetSessionAsync_Throttled_NoRequestBeforeRetryAfter()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        host.Emulator.Org.FailNextTokenRequests(429, "rate_limit_exceeded", "ip/user rate limit exceeded", retryAfter: TimeSpan.FromSeconds(30));

        var first = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());
        var second = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());
        host.Time.Advance(TimeSpan.FromSeconds(31));
        await host.Sessions.GetSessionAsync("salesforce", Ct);

        Assert.Equal(ModernAuthErrorCategory.Throttled, first.Category);
        Assert.Equal(TimeSpan.FromSeconds(30), first.RetryAfter);
        Assert.Equal(ModernAuthErrorCategory.Throttled, second.Category);
        Assert.Equal(2, host.Emulator.Counters.TokenRequests);
    }

    [Fact]
    public async Task GetSessionAsync_InactiveRunAsUser_ReauthorizationRequired()
    {
        await using var host = await SalesforceTestHost.StartAsync();
        host.Emulator.Org.IntegrationUser.IsActive = false;

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("salesforce", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, ex.Category);
        Assert.Equal("inactive_user", ex.ErrorCode);
    }

    [Fact]
    public async Task GetSessionAsync_UnknownProvider_InvalidConfigurationNamingHowToAddIt()
    {
        await using var host = await SalesforceTestHost.StartAsync();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Sessions.GetSessionAsync("crm", Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("Service: Salesforce", ex.Advice, StringComparison.Ordinal);
    }
}
