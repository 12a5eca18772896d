using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Tests.Identity;

public class ClientCredentialsGrantTests
{
    private static readonly string[] ExchangeDefault = ["https://outlook.office365.com/.default"];

    [Fact]
    public async Task AcquireTokenForClient_WithSecret_ReturnsAppOnlyTokenWithRoles()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        var token = new JsonWebToken(result.AccessToken);
        Assert.Equal("JWT", token.Typ);
        Assert.Equal(env.SigningKey.KeyId, token.Kid);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("https://outlook.office365.com", token.Audiences.Single());
        Assert.Equal($"https://sts.windows.net/{env.Tenant.TenantId}/", token.Issuer);
        Assert.Equal(env.Tenant.TenantId, token.GetClaim("tid").Value);
        Assert.Equal(env.Application.ServicePrincipalId, token.GetClaim("oid").Value);
        Assert.Equal(env.Application.ServicePrincipalId, token.Subject);
        Assert.Equal(env.Application.ClientId, token.GetClaim("appid").Value);
        Assert.Equal(env.Application.ClientId, token.GetClaim("azp").Value);
        Assert.Equal("1.0", token.GetClaim("ver").Value);
        Assert.Equal("app", token.GetClaim("idtyp").Value);
        Assert.Equal([EmulatorApplication.ImapAccessAsApp, EmulatorApplication.SmtpSendAsApp], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Order());
        Assert.False(token.TryGetClaim("scp", out _));
        Assert.Equal(env.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), token.GetPayloadValue<long>("exp"));
        Assert.NotEmpty(token.Id);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(result.AccessToken, new TokenValidationParameters
        {
            IssuerSigningKey = env.SigningKey.SecurityKey,
            ValidIssuer = token.Issuer,
            ValidAudience = "https://outlook.office365.com",
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task TokenRequestReceived_EveryRequest_RaisedWithItsTimeOnTheEmulatorsClock()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var received = new List<EmulatorTokenRequestEventArgs>();
        env.Server.Counters.TokenRequestReceived += (_, request) => received.Add(request);
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);
        env.Time.Advance(TimeSpan.FromMinutes(7));
        await msal.AcquireTokenForClient(ExchangeDefault).WithForceRefresh(true).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, received.Count);
        Assert.All(received, request => Assert.Equal("client_credentials", request.GrantType));
        Assert.All(received, request => Assert.Equal(env.Application.ClientId, request.ClientId));
        Assert.Equal(TimeSpan.FromMinutes(7), received[1].ReceivedAt - received[0].ReceivedAt);
    }

    [Fact]
    public async Task AcquireTokenForClient_PsOutlookResource_KeepsThatAudience()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var result = await msal.AcquireTokenForClient(["https://ps.outlook.com/.default"]).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal("https://ps.outlook.com", new JsonWebToken(result.AccessToken).Audiences.Single());
    }

    [Fact]
    public async Task AcquireTokenForClient_WithCertificate_ReturnsToken()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var certificate = CreateClientCertificate();
        env.Application.AddCertificate(certificate);
        var msal = env.ConfidentialClient().WithCertificate(certificate).Build();

        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(env.Application.ClientId, new JsonWebToken(result.AccessToken).GetClaim("appid").Value);
    }

    [Fact]
    public async Task AcquireTokenForClient_UnregisteredCertificate_ThrowsAadsts700027()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        using var registered = CreateClientCertificate();
        using var other = CreateClientCertificate();
        env.Application.AddCertificate(registered);
        var msal = env.ConfidentialClient().WithCertificate(other).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal("invalid_client", ex.ErrorCode);
        Assert.Contains("AADSTS700027:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_WrongSecret_ThrowsAadsts7000215()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret("not-the-secret").Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_client", ex.ErrorCode);
        Assert.Contains("AADSTS7000215:", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", ex.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_SecretIdInsteadOfValue_ThrowsAadsts7000215()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.SecretId).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS7000215:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_ExpiredSecret_ThrowsAadsts7000222()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var expired = env.Application.AddSecret(expiresOn: env.Time.GetUtcNow().AddDays(1));
        env.Time.Advance(TimeSpan.FromDays(2));
        var msal = env.ConfidentialClient().WithClientSecret(expired.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS7000222:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/Mail.Send")]
    [InlineData("https://outlook.office365.com/.default openid")]
    [InlineData("https://outlook.office365.com/IMAP.AccessAsApp")]
    public async Task AcquireTokenForClient_InvalidScope_ThrowsAadsts70011(string scope)
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(scope.Split(' ')).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Equal("invalid_scope", ex.ErrorCode);
        Assert.Contains("AADSTS70011:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_UnknownClient_ThrowsAadsts700016()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = ConfidentialClientApplicationBuilder.Create(Guid.NewGuid().ToString())
            .WithAuthority(env.Authority).WithHttpClientFactory(env.HttpClientFactory).WithInstanceDiscovery(false)
            .WithClientSecret("whatever").Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS700016:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_AppOfAnotherTenant_ThrowsAadsts700016()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var fabrikam = env.Directory.AddTenant("fabrikam.onmicrosoft.com");
        var foreign = env.Directory.AddApplication(fabrikam, "foreign");
        var secret = foreign.AddSecret();
        var msal = env.ConfidentialClient(foreign).WithClientSecret(secret.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS700016:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_NoGrantedRoles_TokenWithoutRolesClaim()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        env.Application.RevokeAppRoles(EmulatorApplication.ImapAccessAsApp, EmulatorApplication.SmtpSendAsApp);
        var msal = env.ConfidentialClient().WithClientSecret(env.Secret.Value).Build();

        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.False(new JsonWebToken(result.AccessToken).TryGetClaim("roles", out _));
    }

    [Fact]
    public async Task AcquireTokenForClient_UnknownTenant_ThrowsAadsts90002()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = ConfidentialClientApplicationBuilder.Create(env.Application.ClientId)
            .WithAuthority(new Uri(env.Server.BaseAddress, "nowhere.onmicrosoft.com/").ToString())
            .WithHttpClientFactory(env.HttpClientFactory).WithInstanceDiscovery(false)
            .WithClientSecret(env.Secret.Value).Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS90002:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireTokenForClient_AuthorityByDomain_Works()
    {
        await using var env = await IdentityTestEnvironment.StartAsync();
        var msal = ConfidentialClientApplicationBuilder.Create(env.Application.ClientId)
            .WithAuthority(new Uri(env.Server.BaseAddress, $"{env.Tenant.Domain}/").ToString())
            .WithHttpClientFactory(env.HttpClientFactory).WithInstanceDiscovery(false)
            .WithClientSecret(env.Secret.Value).Build();

        var result = await msal.AcquireTokenForClient(ExchangeDefault).ExecuteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(env.Tenant.TenantId, new JsonWebToken(result.AccessToken).GetClaim("tid").Value);
    }

    internal static X509Certificate2 CreateClientCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=helpdesk client", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
