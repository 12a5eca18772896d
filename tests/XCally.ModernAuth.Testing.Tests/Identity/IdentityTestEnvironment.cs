using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Tests.Identity;

/// <summary>A running identity server with one tenant, one confidential app and one user, plus MSAL builders wired to it.</summary>
internal sealed class IdentityTestEnvironment : IAsyncDisposable
{
    public const string RedirectUri = "http://localhost:5123/signin-oidc";
    public static readonly string[] ImapScopes = ["https://outlook.office.com/IMAP.AccessAsUser.All"];

    private IdentityTestEnvironment(EmulatorDirectory directory, EmulatorSigningKey key, FakeTimeProvider time)
    {
        Directory = directory;
        SigningKey = key;
        Time = time;
        Tenant = directory.AddTenant("contoso.onmicrosoft.com");
        Application = directory.AddApplication(Tenant, "helpdesk")
            .GrantAppRoles(EmulatorApplication.ImapAccessAsApp, EmulatorApplication.SmtpSendAsApp)
            .AddDelegatedScopes(EmulatorApplication.ImapAccessAsUser, EmulatorApplication.PopAccessAsUser, EmulatorApplication.SmtpSend)
            .AddRedirectUri(RedirectUri);
        Secret = Application.AddSecret();
        User = directory.AddUser(Tenant, "agent@contoso.onmicrosoft.com", "Agent Smith");
    }

    public EmulatorDirectory Directory { get; }

    public EmulatorSigningKey SigningKey { get; }

    public FakeTimeProvider Time { get; }

    public EmulatorTenant Tenant { get; }

    public EmulatorApplication Application { get; }

    public EmulatorClientSecret Secret { get; }

    public EmulatorUser User { get; }

    public EmulatorIdentityServer Server { get; private set; } = null!;

    public TrustingMsalHttpClientFactory HttpClientFactory { get; private set; } = null!;

    public string Authority => Server.GetAuthority(Tenant).ToString();

    public static async Task<IdentityTestEnvironment> StartAsync(EmulatorIdentityServerOptions? options = null)
    {
        var environment = new IdentityTestEnvironment(new EmulatorDirectory(), new EmulatorSigningKey(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        environment.Server = await EmulatorIdentityServer.StartAsync(
            environment.Directory, environment.SigningKey, environment.Time, options, TestContext.Current.CancellationToken);
        environment.HttpClientFactory = new TrustingMsalHttpClientFactory(environment.Server);
        return environment;
    }

    /// <summary>The builder the SDK's token provider must mirror: authority on the emulator, its trusting HttpClient, no instance discovery.</summary>
    public ConfidentialClientApplicationBuilder ConfidentialClient(EmulatorApplication? application = null) =>
        ConfidentialClientApplicationBuilder.Create((application ?? Application).ClientId)
            .WithAuthority(Authority)
            .WithHttpClientFactory(HttpClientFactory)
            .WithInstanceDiscovery(false);

    public HttpClient CreateHttpClient() => new(Server.CreateHttpMessageHandler()) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Signs the user in at /authorize like a browser would and returns the Location the server redirected to.</summary>
    public async Task<Uri> AuthorizeAsync(string codeChallenge, string? loginHint = null, string redirectUri = RedirectUri, string state = "xyz")
    {
        using var http = CreateHttpClient();
        var query = $"client_id={Application.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}"
            + $"&scope={Uri.EscapeDataString("https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile")}"
            + $"&state={state}&code_challenge={codeChallenge}&code_challenge_method=S256"
            + (loginHint is null ? string.Empty : $"&login_hint={Uri.EscapeDataString(loginHint)}");
        using var response = await http.GetAsync(new Uri(Server.GetAuthority(Tenant), $"oauth2/v2.0/authorize?{query}"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string QueryValue(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : string.Empty;

    public async ValueTask DisposeAsync()
    {
        HttpClientFactory?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        SigningKey.Dispose();
    }
}

/// <summary>MSAL's HTTP client over the emulator's trusting handler.</summary>
internal sealed class TrustingMsalHttpClientFactory(EmulatorIdentityServer server) : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new(server.CreateHttpMessageHandler());

    public HttpClient GetHttpClient() => _client;

    public void Dispose() => _client.Dispose();
}
