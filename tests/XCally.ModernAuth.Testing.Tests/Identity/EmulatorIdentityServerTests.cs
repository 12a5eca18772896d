using System.Net;
using System.Text.Json;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Testing.Tests.Identity;

public class EmulatorIdentityServerTests
{
    private static readonly string[] ExchangeDefault = ["https://outlook.office365.com/.default"];

    [Fact]
    public async Task StartAsync_Always_ListensOnLoopbackHttps()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();

        Assert.Equal("https", env.Server.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", env.Server.BaseAddress.Host);
        Assert.NotEqual(0, env.Server.BaseAddress.Port);
        Assert.True(env.Server.Certificate.HasPrivateKey);
    }

    [Theory]
    [InlineData("v2.0/.well-known/openid-configuration")]
    [InlineData(".well-known/openid-configuration")]
    public async Task OpenIdConfiguration_ByDomain_NamesEndpointsOnThisHost(string path)
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var http = env.CreateHttpClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync($"{env.Tenant.Domain}/{path}", TestContext.Current.CancellationToken));

        var root = document.RootElement;
        Assert.StartsWith(env.Server.BaseAddress.ToString(), root.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(env.Server.BaseAddress.ToString(), root.GetProperty("jwks_uri").GetString(), StringComparison.Ordinal);
        Assert.Contains(env.Tenant.TenantId, root.GetProperty("issuer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenIdConfiguration_UnknownTenant_AnswersAadsts90002Body()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var http = env.CreateHttpClient();

        using var response = await http.GetAsync("nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement;
        Assert.Equal("invalid_tenant", root.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS90002: Tenant 'nowhere.onmicrosoft.com' not found.", root.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("\r\nTrace ID: ", root.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(90002, root.GetProperty("error_codes")[0].GetInt32());
        Assert.True(root.TryGetProperty("timestamp", out _));
        Assert.True(root.TryGetProperty("trace_id", out _));
        Assert.True(root.TryGetProperty("correlation_id", out _));
        Assert.True(root.TryGetProperty("error_uri", out _));
    }

    [Fact]
    public async Task Keys_Always_PublishesSigningKey()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var http = env.CreateHttpClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync($"{env.Tenant.TenantId}/discovery/v2.0/keys", TestContext.Current.CancellationToken));

        var key = document.RootElement.GetProperty("keys")[0];
        Assert.Equal(env.SigningKey.KeyId, key.GetProperty("kid").GetString());
        Assert.Equal(env.SigningKey.ToJsonWebKey().N, key.GetProperty("n").GetString());
    }

    [Fact]
    public async Task InstanceDiscovery_Always_NamesThisHost()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var http = env.CreateHttpClient();
        var authorize = Uri.EscapeDataString($"{env.Authority}oauth2/v2.0/authorize");

        using var document = JsonDocument.Parse(await http.GetStringAsync($"common/discovery/instance?api-version=1.1&authorization_endpoint={authorize}", TestContext.Current.CancellationToken));

        var metadata = document.RootElement.GetProperty("metadata")[0];
        Assert.Equal(env.Server.BaseAddress.Authority, metadata.GetProperty("preferred_network").GetString());
        Assert.Equal($"{env.Authority}v2.0/.well-known/openid-configuration", document.RootElement.GetProperty("tenant_discovery_endpoint").GetString());
    }

    [Fact]
    public async Task CreateHttpMessageHandler_OtherServersCertificate_Refused()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        await using var other = await EmulatorIdentityServer.StartAsync(env.Directory, env.SigningKey, cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient(env.Server.CreateHttpMessageHandler());

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(other.BaseAddress, "common/discovery/instance"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InjectFault_Aadsts_MsalSeesEntraErrorThenRecovers()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Server.InjectFault(EmulatorFault.Aadsts(53003), times: 1, clientId: env.Application.ClientId);
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var ex = await Assert.ThrowsAnyAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));
        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalid_grant", ex.ErrorCode);
        Assert.Contains("AADSTS53003:", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.AccessToken);
        Assert.Equal(2, env.Server.Counters.TokenRequestsForClient(env.Application.ClientId));
    }

    [Fact]
    public async Task InjectFault_ForOtherClient_LeavesThisClientAlone()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Server.InjectFault(EmulatorFault.Aadsts(7000222), clientId: Guid.NewGuid().ToString());
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(result.AccessToken);
    }

    [Fact]
    public async Task InjectFault_TooManyRequests_Answers429WithRetryAfter()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Server.InjectFault(EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(7)));
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.Headers.RetryAfter?.Delta);
        Assert.Equal(1, env.Server.Counters.TokenRequests);
    }

    [Fact]
    public async Task InjectFault_ServiceUnavailableTwice_MsalRetriesOnceThenFails()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Server.InjectFault(EmulatorFault.ServiceUnavailable(), times: 2);
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(2, env.Server.Counters.TokenRequestsForGrantType("client_credentials"));
    }

    [Fact]
    public async Task InjectFault_Delay_TripsClientTimeout()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Server.InjectFault(EmulatorFault.Delay(TimeSpan.FromSeconds(30)));
        using var http = env.CreateHttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = env.Application.ClientId,
            ["client_secret"] = env.Secret.Value,
            ["scope"] = ExchangeDefault[0],
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync(env.Server.GetTokenEndpoint(env.Tenant), form, timeout.Token));
        Assert.Equal(1, env.Server.Counters.TokenRequests);
    }

    [Fact]
    public async Task Counters_ManyClientCredentialRequests_CountedPerGrantAndClient()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        for (var i = 0; i < 3; i++)
        {
            await msal.AcquireTokenForClient(ExchangeDefault).WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken);
        }

        await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, env.Server.Counters.TokenRequests);
        Assert.Equal(3, env.Server.Counters.TokenRequestsForGrantType("client_credentials"));
        Assert.Equal(3, env.Server.Counters.TokenRequestsForClient(env.Application.ClientId));
        env.Server.Counters.Reset();
        Assert.Equal(0, env.Server.Counters.TokenRequests);
    }
}
