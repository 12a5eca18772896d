using System.Net;
using System.Net.Sockets;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Errors;

public sealed class IdentityErrorTranslatorTests
{
    public static TheoryData<int, string, int, string, ModernAuthErrorCategory> EntraErrors => new()
    {
        { 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'.", ModernAuthErrorCategory.InvalidClientSecret },
        { 401, "invalid_client", 7000222, "The provided client secret keys for app '00000000-0000-0000-0000-000000000001' are expired. Visit the Azure portal to create new keys for your app.", ModernAuthErrorCategory.ClientSecretExpired },
        { 400, "unauthorized_client", 700016, "Application with identifier '00000000-0000-0000-0000-000000000001' was not found in the directory 'Contoso'.", ModernAuthErrorCategory.ApplicationNotFound },
        { 400, "invalid_request", 90002, "Tenant '00000000-0000-0000-0000-000000000002' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", ModernAuthErrorCategory.TenantNotFound },
        { 400, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '00000000-0000-0000-0000-000000000001'.", ModernAuthErrorCategory.ConsentRequired },
        { 400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope https://graph.microsoft.com/IMAP.AccessAsUser.All is not valid.", ModernAuthErrorCategory.InvalidScope },
        { 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", ModernAuthErrorCategory.InvalidClientConfiguration },
        { 400, "invalid_request", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.", ModernAuthErrorCategory.InvalidClientConfiguration },
        { 401, "invalid_client", 700027, "The certificate with identifier used to sign the client assertion is not registered on application.", ModernAuthErrorCategory.InvalidClientCertificate },
        { 401, "invalid_client", 700024, "Client assertion is not within its valid time range.", ModernAuthErrorCategory.InvalidClientCertificate },
        { 400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.", ModernAuthErrorCategory.ReauthorizationRequired },
        { 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.", ModernAuthErrorCategory.ReauthorizationRequired },
        { 400, "invalid_grant", 70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", ModernAuthErrorCategory.ReauthorizationRequired },
        { 400, "invalid_grant", 9999999, "Some grant problem the table does not list.", ModernAuthErrorCategory.ReauthorizationRequired },
        { 429, "temporarily_unavailable", 90055, "The request was throttled: too many requests.", ModernAuthErrorCategory.Throttled },
        { 400, "invalid_request", 1234567, "Something the table does not know.", ModernAuthErrorCategory.Unknown },
    };

    [Theory]
    [MemberData(nameof(EntraErrors))]
    public async Task Translate_EntraErrorBody_MapsCategoryCodeAndAdvice(int status, string error, int aadsts, string description, ModernAuthErrorCategory expected)
    {
        var secret = TestModels.NewSecret();
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(secret)));
        harness.Endpoint.EnqueueError((HttpStatusCode)status, error, aadsts, description, status == 429 ? TimeSpan.FromSeconds(30) : null);

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(expected, exception.Category);
        Assert.Equal($"AADSTS{aadsts}", exception.ErrorCode);
        Assert.Equal(harness.Provider.Name, exception.CloudProviderName);
        Assert.Equal(harness.Account.Address, exception.AccountAddress);
        Assert.True(Guid.TryParse(exception.CorrelationId, out _));
        Assert.Contains($"AADSTS{aadsts}: {description}", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Trace ID", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"'{harness.Provider.Name}'", exception.Message, StringComparison.Ordinal);
        Assert.Equal(expected != ModernAuthErrorCategory.Unknown, exception.Advice is not null);
        Assert.DoesNotContain(secret, exception.ToString(), StringComparison.Ordinal);
        Assert.Null(exception.InnerException);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(30), exception.RetryAfter);
        }
    }

    [Fact]
    public async Task Translate_InvalidSecret_AdviceNamesSecretValueNotId()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.ExpectedClientSecret = "the secret's real value";

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientSecret, exception.Category);
        Assert.Contains("Value", exception.Advice, StringComparison.Ordinal);
        Assert.Contains("Secret ID", exception.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ServerError_IsTransient()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.EnqueueError(HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", 50001, "The service is temporarily unavailable.", TimeSpan.Zero);

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.Transient, exception.Category);
        Assert.Contains("HTTP 503", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ServerErrorWithoutBody_IsTransient()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));

        // Without Retry-After MSAL retries a 5xx once after a second: both answers fail.
        harness.Endpoint.Enqueue(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));
        harness.Endpoint.Enqueue(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.Transient, exception.Category);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task Translate_Timeout_IsTransient()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider, httpTimeout: TimeSpan.FromMilliseconds(50));
        harness.Endpoint.Delay = TimeSpan.FromSeconds(30);

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.Transient, exception.Category);
        Assert.Equal(IdentityErrorTable.Timeout, exception.ErrorCode);
    }

    [Fact]
    public async Task Translate_ConnectionRefused_IsTransientWithNetworkAdvice()
    {
        using var harness = new TokenProviderHarness(TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret())));
        harness.Endpoint.Enqueue(_ => throw new HttpRequestException("Connection refused (login.emulator.test:443)", new SocketException((int)SocketError.ConnectionRefused)));

        var exception = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());

        Assert.Equal(ModernAuthErrorCategory.Transient, exception.Category);
        Assert.Equal(IdentityErrorTable.Network, exception.ErrorCode);
        Assert.IsType<HttpRequestException>(exception.InnerException);
        Assert.Contains("proxy", exception.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_DescriptionEchoingSecretOrToken_IsScrubbed()
    {
        var secret = TestModels.NewSecret();
        var provider = TestModels.Provider(new ClientSecretCredential(secret));
        var jwt = TestTokenEndpoint.NewJwtLikeToken();
        var body = $$"""{"error":"invalid_request","error_description":"AADSTS900144: Bad request with client_secret={{secret}} and assertion {{jwt}}\r\nTrace ID: x","error_codes":[900144]}""";
        var msal = new Microsoft.Identity.Client.MsalServiceException("invalid_request", "echo " + secret + " " + jwt) { ResponseBody = body };

        var exception = IdentityErrorTranslator.Translate(msal, provider, TimeProvider.System);

        var text = exception.ToString();
        Assert.Contains("AADSTS900144: Bad request with client_secret=[redacted] and assertion [redacted]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt, text, StringComparison.Ordinal);
        Assert.DoesNotContain("echo", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ModernAuthException_PassesThrough()
    {
        var original = new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, "Already explained.");

        var translated = IdentityErrorTranslator.Translate(original, TestModels.Provider(new ClientSecretCredential("s")), TimeProvider.System);

        Assert.Same(original, translated);
    }
}
