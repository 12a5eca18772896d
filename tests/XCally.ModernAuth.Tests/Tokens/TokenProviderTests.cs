using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

public sealed class TokenProviderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_ClientSecret_PostsClientCredentialsToTenantTokenEndpoint()
    {
        var secret = TestModels.NewSecret();
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(secret)));

        var token = await harness.GetAsync();

        Assert.Equal(TokenSource.IdentityProvider, token.Source);
        Assert.Equal(harness.Endpoint.LastIssuedToken, token.Token);
        var request = Assert.Single(harness.Endpoint.TokenRequests);
        Assert.Equal($"https://login.emulator.test/{harness.Provider.TenantId}/oauth2/v2.0/token", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("client_credentials", request.Get("grant_type"));
        Assert.Equal(harness.Provider.ClientId, request.Get("client_id"));
        Assert.Equal(secret, request.Get("client_secret"));
        Assert.Equal("https://outlook.office365.com/.default", request.Get("scope"));
        Assert.Equal(ModernAuthDefaults.HttpClientName, harness.HttpClientFactory.LastName);

        // An emulator-style host gets neither instance discovery nor metadata requests.
        Assert.Empty(harness.Endpoint.OtherRequests);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SecondCall_ReturnsCachedTokenWithoutRequest()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        var first = await harness.GetAsync();

        var second = harness.GetIfImmediate(MailProtocol.Smtp);

        Assert.NotNull(second);
        Assert.Equal(first.Token, second.Token);
        Assert.Equal(TokenSource.Cache, second.Source);
        Assert.Equal(first.ExpiresOn, second.ExpiresOn);
        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ExpiryAnchoredOnTimeProvider()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));

        var token = await harness.GetAsync();

        var lifetime = token.ExpiresOn - harness.Time.GetUtcNow();
        Assert.InRange(lifetime, TimeSpan.FromSeconds(3500), TimeSpan.FromSeconds(3600));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetAccessTokenAsync_Certificate_SendsAssertionSignedByCertificateWithX5cOnlyWhenAsked(bool sendX5C)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=XCally.ModernAuth test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var provider = TestModels.Provider(new CertificateCredential(certificate, sendX5C));
        var endpoint = new TestTokenEndpoint
        {
            ExpectedClientId = provider.ClientId,
            ValidateAssertion = tokenRequest => IsSignedBy(tokenRequest.Get("client_assertion")!, certificate),
        };
        using var harness = new TokenProviderHarness(provider, endpoint);

        var token = await harness.GetAsync();

        Assert.Equal(endpoint.LastIssuedToken, token.Token);
        var sent = Assert.Single(endpoint.TokenRequests);
        Assert.Null(sent.Get("client_secret"));
        Assert.Equal(TestTokenEndpoint.ClientAssertionType, sent.Get("client_assertion_type"));
        var (header, payload) = ReadJwt(sent.Get("client_assertion")!);
        Assert.Equal(sendX5C, header.TryGetProperty("x5c", out _));
        Assert.Equal(provider.ClientId, payload.GetProperty("iss").GetString());
        Assert.Equal(provider.ClientId, payload.GetProperty("sub").GetString());
        Assert.Equal($"https://login.emulator.test/{provider.TenantId}/oauth2/v2.0/token", payload.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task GetAccessTokenAsync_ClientAssertionCallback_ReceivesClientIdAndTokenEndpoint()
    {
        var requests = new List<ClientAssertionRequest>();
        var assertion = "federated." + Guid.NewGuid().ToString("N");
        var provider = TestModels.Provider(new ClientAssertionCredential((request, _) =>
        {
            lock (requests)
            {
                requests.Add(request);
            }

            return Task.FromResult(assertion);
        }));
        var endpoint = new TestTokenEndpoint
        {
            ExpectedClientId = provider.ClientId,
            ValidateAssertion = tokenRequest => tokenRequest.Get("client_assertion") == assertion,
        };
        using var harness = new TokenProviderHarness(provider, endpoint);

        var token = await harness.GetAsync();

        Assert.Equal(endpoint.LastIssuedToken, token.Token);
        var seen = Assert.Single(requests);
        Assert.Equal(provider.ClientId, seen.ClientId);
        Assert.Equal($"https://login.emulator.test/{provider.TenantId}/oauth2/v2.0/token", seen.TokenEndpoint);
    }

    [Theory]
    [InlineData(CloudEnvironment.Global, "login.microsoftonline.com", "https://outlook.office365.com/.default")]
    [InlineData(CloudEnvironment.UsGovernment, "login.microsoftonline.us", "https://outlook.office365.us/.default")]
    [InlineData(CloudEnvironment.UsGovernmentDoD, "login.microsoftonline.us", "https://outlook-dod.office365.us/.default")]
    [InlineData(CloudEnvironment.China, "login.chinacloudapi.cn", "https://partner.outlook.cn/.default")]
    public async Task GetAccessTokenAsync_EachCloud_UsesItsAuthorityHostAndScope(CloudEnvironment cloud, string host, string scope)
    {
        var provider = TestModels.Provider(
            new ClientSecretCredential(TestModels.NewSecret()), cloud: cloud, authorityHost: CloudEnvironmentDefaults.GetAuthorityHost(cloud));
        using var harness = new TokenProviderHarness(provider);
        harness.Endpoint.ExpectedScope = scope;

        var token = await harness.GetAsync();

        Assert.Equal(harness.Endpoint.LastIssuedToken, token.Token);
        var request = Assert.Single(harness.Endpoint.TokenRequests);
        Assert.Equal($"https://{host}/{provider.TenantId}/oauth2/v2.0/token", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(scope, request.Get("scope"));
        Assert.All(harness.Endpoint.OtherRequests, uri => Assert.Equal(host, uri.Host));
    }

    [Fact]
    public async Task GetAccessTokenAsync_ThousandConcurrentCallersOnColdCache_SendOneRequest()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.CloseGate();

        var callers = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () => await harness.GetAsync(), Cancel))
            .ToArray();
        await TokenProviderHarness.WaitUntilAsync(() => harness.Endpoint.WaitingAtGate == 1, "the first request reaches the endpoint");
        harness.Endpoint.OpenGate();
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
        Assert.Single(tokens.Select(token => token.Token).Distinct());
        Assert.Equal(harness.Endpoint.LastIssuedToken, tokens[0].Token);
    }

    [Fact]
    public async Task GetAccessTokenAsync_TwentyFourHoursOfCallers_NeverWaitsAndRefreshesOncePerInterval()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        await harness.GetAsync();
        var step = TimeSpan.FromMinutes(4);
        var end = harness.Time.GetUtcNow().AddHours(24);

        // Each refresh is held at the endpoint's gate while a caller asks: the call must complete without waiting.
        harness.Endpoint.CloseGate();
        var calls = 0;
        var refreshes = 0;
        while (harness.Time.GetUtcNow() < end)
        {
            var started = harness.RefreshesStarted();
            harness.Time.Advance(step);
            var refreshing = harness.RefreshesStarted() > started;
            if (refreshing)
            {
                refreshes++;
                await TokenProviderHarness.WaitUntilAsync(() => harness.Endpoint.WaitingAtGate == 1, "the refresh reaches the endpoint");
            }

            var token = harness.GetIfImmediate();
            Assert.True(token is not null, $"Caller {calls} waited.");
            Assert.Equal(TokenSource.Cache, token.Source);
            Assert.True(token.ExpiresOn - harness.Time.GetUtcNow() > TokenRefreshPolicyMargin, "A token close to expiry was handed out.");
            calls++;

            if (refreshing)
            {
                // Until the refresh completes, the token served is the one from before it (equal to the endpoint's last one).
                var before = token.Token;
                harness.Endpoint.OpenGate();
                await TokenProviderHarness.WaitUntilAsync(
                    () => harness.GetIfImmediate()?.Token is { } served && served != before && served == harness.Endpoint.LastIssuedToken,
                    "the refreshed token is served");
                harness.Endpoint.CloseGate();
            }
        }

        // One refresh per ~30 minutes on average (half of 3599 s, jittered by ±50%: 15 to 45 min) plus the first request; 48
        // expected in 24 hours, about 2 either way.
        Assert.Equal(360, calls);
        Assert.Equal(1 + refreshes, harness.Endpoint.TokenRequestCount);
        Assert.InRange(refreshes, 24 * 60 / 36, (24 * 60 / 25) + 1);
        Assert.Empty(harness.LogsAtOrAbove(LogLevel.Warning));
    }

    [Fact]
    public async Task GetAccessTokenAsync_RefreshInFromIdentityPlatform_RefreshesThen()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.RefreshInSeconds = 600;
        var first = await harness.GetAsync();

        // refresh_in jittered by ±50%: between 300 and 900 s, however long the token itself lives (an hour).
        harness.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
        harness.Time.Advance(TimeSpan.FromSeconds(602));

        await TokenProviderHarness.WaitUntilAsync(
            () => harness.GetIfImmediate()?.Token != first.Token, "the token is refreshed after refresh_in");
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_BackgroundRefreshFails_KeepsServingAndRetriesWithBackoff()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        var first = await harness.GetAsync();
        harness.Endpoint.Enqueue(_ => TestTokenEndpoint.Error(
            System.Net.HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", 50001, "The service is temporarily unavailable.", TimeSpan.Zero));

        // The refresh is due 15 to 45 minutes in (half the lifetime, ±50%).
        harness.Time.Advance(TimeSpan.FromMinutes(46));
        await TokenProviderHarness.WaitUntilAsync(
            () => harness.LogsAtOrAbove(LogLevel.Warning).Count == 1, "the failed refresh is logged");

        var during = harness.GetIfImmediate();
        Assert.NotNull(during);
        Assert.Equal(first.Token, during.Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);

        // Not before the back-off (5 s, less 10%), and at the latest at 70% of the time the token is still served (until 30 s
        // before it expires): still within that time, so the token served meanwhile is the old one, then the new one.
        var servedFor = first.ExpiresOn - TimeSpan.FromSeconds(30) - harness.Time.GetUtcNow();
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50, Cancel);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
        harness.Time.Advance((servedFor * 0.7) - TimeSpan.FromSeconds(3));
        await TokenProviderHarness.WaitUntilAsync(
            () => harness.GetIfImmediate() is { } token && token.Token != first.Token, "the retried refresh succeeds");
        Assert.Equal(3, harness.Endpoint.TokenRequestCount);
        var warning = Assert.Single(harness.LogsAtOrAbove(LogLevel.Warning));
        Assert.Contains("Transient", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidateAsync_RefusedToken_NextCallGetsNewTokenWithOneRequest()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        var refused = await harness.GetAsync();

        await harness.TokenProvider.InvalidateAsync(harness.Account, MailProtocol.Imap, refused, Cancel);
        var fresh = await harness.GetAsync();

        Assert.NotEqual(refused.Token, fresh.Token);
        Assert.Equal(TokenSource.IdentityProvider, fresh.Source);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task InvalidateAsync_ConcurrentInvalidationsOfSameToken_CauseOneRequest()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        var refused = await harness.GetAsync();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(
            async () => await harness.TokenProvider.InvalidateAsync(harness.Account, MailProtocol.Smtp, refused, Cancel), Cancel)));
        var fresh = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await harness.GetAsync(), Cancel)));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(
            async () => await harness.TokenProvider.InvalidateAsync(harness.Account, MailProtocol.Imap, refused, Cancel), Cancel)));
        var after = await harness.GetAsync();

        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
        Assert.Single(fresh.Select(token => token.Token).Distinct());
        Assert.Equal(fresh[0].Token, after.Token);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ProviderReplacedInStore_BuildsNewClientWithNewSecret()
    {
        var oldSecret = TestModels.NewSecret();
        var provider = TestModels.Provider(new ClientSecretCredential(oldSecret));
        using var harness = new TokenProviderHarness(provider);
        var before = await harness.GetAsync();

        var newSecret = TestModels.NewSecret();
        harness.Store.Set(TestModels.Provider(
            new ClientSecretCredential(newSecret), provider.Name, tenantId: provider.TenantId, clientId: provider.ClientId));
        harness.Endpoint.ExpectedClientSecret = newSecret;
        var after = await harness.GetAsync();
        var again = await harness.GetAsync();

        Assert.NotEqual(before.Token, after.Token);
        Assert.Equal(TokenSource.Cache, again.Source);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
        Assert.Equal([oldSecret, newSecret], harness.Endpoint.TokenRequests.Select(request => request.Get("client_secret")));
        Assert.Contains(harness.Logs.GetSnapshot(), record => record.Message.Contains("configuration changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAccessTokenAsync_UnknownProvider_ThrowsInvalidConfigurationNamingAccountAndProvider()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        var account = new EmailAccount("orphan@contoso.example", "orphan@contoso.example", "missing", null, null, null);

        var error = await Assert.ThrowsAsync<ModernAuthException>(
            async () => await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("orphan@contoso.example", error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
        Assert.Equal("orphan@contoso.example", error.AccountAddress);
        Assert.Equal(0, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_NonMicrosoftHostWithoutOptIn_RefusesBeforeSendingSecret()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), allowNonMicrosoftAuthority: false);
        using var harness = new TokenProviderHarness(provider);

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("AllowNonMicrosoftAuthority", error.Message, StringComparison.Ordinal);
        Assert.Contains("login.emulator.test", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Endpoint.TokenRequestCount);
        Assert.Equal(0, harness.HttpClientFactory.ClientsCreated);
    }

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    public async Task GetAccessTokenAsync_MultiTenantAuthority_Refused(string tenant)
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), tenantId: tenant));

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("TenantId", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_Throttled_HonoursRetryAfterBeforeNextRequest()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.EnqueueError(
            (System.Net.HttpStatusCode)429, "temporarily_unavailable", 90055, "The request was throttled: too many requests.", TimeSpan.FromSeconds(1));

        var first = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());
        harness.Time.Advance(TimeSpan.FromMilliseconds(400));
        var held = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        // With no token left, callers wait at least the first back-off (5 s, jittered by 10%) even when Retry-After is shorter.
        Assert.Equal(ModernAuthErrorCategory.Throttled, first.Category);
        Assert.InRange(first.RetryAfter!.Value, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(5.5));
        Assert.Equal(ModernAuthErrorCategory.Throttled, held.Category);
        Assert.Equal(first.RetryAfter.Value - TimeSpan.FromMilliseconds(400), held.RetryAfter);
        Assert.Contains("No valid token is left", held.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Endpoint.TokenRequestCount);

        // MSAL keeps its own Retry-After record on the system clock: let that pass too, then move our clock past ours.
        await Task.Delay(TimeSpan.FromMilliseconds(1100), Cancel);
        harness.Time.Advance(held.RetryAfter!.Value + TimeSpan.FromMilliseconds(1));
        var token = await harness.GetAsync();

        Assert.Equal(harness.Endpoint.LastIssuedToken, token.Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SharedFailure_EachCallerGetsItsOwnAccount()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider);
        harness.Endpoint.ExpectedClientSecret = "the-right-one";
        harness.Endpoint.CloseGate();

        var one = harness.TokenProvider.GetAccessTokenAsync(TestModels.Account(provider, "one@contoso.example"), MailProtocol.Imap, Cancel).AsTask();
        var two = harness.TokenProvider.GetAccessTokenAsync(TestModels.Account(provider, "two@contoso.example"), MailProtocol.Smtp, Cancel).AsTask();
        harness.Endpoint.OpenGate();

        Assert.Equal("one@contoso.example", (await Assert.ThrowsAsync<ModernAuthException>(() => one)).AccountAddress);
        Assert.Equal("two@contoso.example", (await Assert.ThrowsAsync<ModernAuthException>(() => two)).AccountAddress);
        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task Logs_AcrossSuccessInvalidationAndFailure_NeverContainSecretOrToken()
    {
        var secret = TestModels.NewSecret();
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(secret)));
        var issued = new List<string>();
        var token = await harness.GetAsync();
        issued.Add(token.Token);
        await harness.TokenProvider.InvalidateAsync(harness.Account, MailProtocol.Imap, token, Cancel);
        issued.Add((await harness.GetAsync()).Token);
        harness.Endpoint.ExpectedClientSecret = "rotated-elsewhere";
        // The background refresh is due 15 to 45 minutes into the hour (half the lifetime, ±50%): move past the latest.
        harness.Time.Advance(TimeSpan.FromMinutes(46));
        await TokenProviderHarness.WaitUntilAsync(() => harness.LogsAtOrAbove(LogLevel.Warning).Count > 0, "the failed refresh is logged");
        harness.Time.Advance(TimeSpan.FromMinutes(30));
        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        var text = harness.AllLogText() + error;
        Assert.Contains("sha256:", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.All(issued, value => Assert.DoesNotContain(value, text, StringComparison.Ordinal));
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        Assert.Equal(ModernAuthErrorCategory.InvalidClientSecret, error.Category);
    }

    [Fact]
    public async Task Metrics_RequestsHitsAndFailures_AreCounted()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        using var requests = new MetricCollector<long>(harness.Metrics.Meter, ModernAuthTelemetry.TokenRequestsInstrument);
        using var hits = new MetricCollector<long>(harness.Metrics.Meter, ModernAuthTelemetry.CacheHitsInstrument);
        using var failures = new MetricCollector<long>(harness.Metrics.Meter, ModernAuthTelemetry.FailuresInstrument);

        await harness.GetAsync();
        await harness.GetAsync();
        await harness.GetAsync();
        harness.Endpoint.EnqueueError(System.Net.HttpStatusCode.BadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.");
        await harness.TokenProvider.InvalidateAsync(harness.Account, MailProtocol.Imap, await harness.GetAsync(), Cancel);
        await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        var requestValues = requests.GetMeasurementSnapshot();
        Assert.Equal(2, requestValues.Count);
        Assert.Equal(harness.Provider.Name, requestValues[0].Tags[ModernAuthTelemetry.ProviderTag]);
        Assert.Equal("success", requestValues[0].Tags[ModernAuthTelemetry.OutcomeTag]);
        Assert.Equal("InvalidScope", requestValues[1].Tags[ModernAuthTelemetry.OutcomeTag]);
        hits.RecordObservableInstruments();
        Assert.Equal(3, Assert.Single(hits.GetMeasurementSnapshot()).Value);
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("InvalidScope", failure.Tags[ModernAuthTelemetry.CategoryTag]);
    }

    private static readonly TimeSpan TokenRefreshPolicyMargin = XCally.ModernAuth.Internal.TokenRefreshPolicy.ExpiryMargin;

    private static (JsonElement Header, JsonElement Payload) ReadJwt(string jwt)
    {
        var parts = jwt.Split('.');
        return (JsonDocument.Parse(TestTokenEndpoint.FromBase64Url(parts[0])).RootElement,
                JsonDocument.Parse(TestTokenEndpoint.FromBase64Url(parts[1])).RootElement);
    }

    private static bool IsSignedBy(string jwt, X509Certificate2 certificate)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var (header, _) = ReadJwt(jwt);
        var padding = header.GetProperty("alg").GetString() switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        using var key = certificate.GetRSAPublicKey()!;
        return padding is not null && key.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), TestTokenEndpoint.FromBase64Url(parts[2]), HashAlgorithmName.SHA256, padding);
    }
}
