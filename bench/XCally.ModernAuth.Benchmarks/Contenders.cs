using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;
using XCally.ModernAuth;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;
using ModernAuthClientSecret = XCally.ModernAuth.ClientSecretCredential;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// The three ways of getting an app-only token that are compared, each wired to its own <see cref="TestTokenEndpoint"/> on the
/// same non-Microsoft host (so nothing leaves the process) with the same tenant, client and secret.
/// </summary>
internal sealed class Contenders : IDisposable
{
    public static readonly string[] Scopes = ["https://outlook.office365.com/.default"];

    private readonly TokenMetrics _metrics = new();

    public Contenders()
    {
        var secret = TestModels.NewSecret();
        Provider = TestModels.Provider(new ModernAuthClientSecret(secret), name: "bench");
        Account = TestModels.Account(Provider);

        OursEndpoint = NewEndpoint(secret);
        Ours = new TokenProvider(
            new TestCloudProviderStore(Provider),
            new ConfidentialClientApplicationFactory(new MsalHttpClientFactory(new SingleHandlerHttpClientFactory(OursEndpoint))),
            TimeProvider.System,
            _metrics,
            NullLogger<TokenProvider>.Instance);

        MsalEndpoint = NewEndpoint(secret);
        Msal = ConfidentialClientApplicationBuilder.Create(Provider.ClientId)
            .WithClientSecret(secret)
            .WithAuthority(TestModels.EmulatorHost.ToString(), Provider.TenantId, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new SingleHandlerHttpClientFactory(MsalEndpoint))
            .Build();

        AzureEndpoint = NewEndpoint(secret);
        Azure = new Azure.Identity.ClientSecretCredential(Provider.TenantId, Provider.ClientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = TestModels.EmulatorHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(new HttpClient(AzureEndpoint, disposeHandler: false)),
        });
    }

    public CloudProvider Provider { get; }

    public EmailAccount Account { get; }

    public TestTokenEndpoint OursEndpoint { get; }

    public TokenProvider Ours { get; }

    public TestTokenEndpoint MsalEndpoint { get; }

    public IConfidentialClientApplication Msal { get; }

    public TestTokenEndpoint AzureEndpoint { get; }

    public Azure.Identity.ClientSecretCredential Azure { get; }

    public static TokenRequestContext AzureRequest { get; } = new(Scopes);

    public void Dispose()
    {
        Ours.Dispose();
        _metrics.Dispose();
    }

    private TestTokenEndpoint NewEndpoint(string secret) =>
        new() { ExpectedClientId = Provider.ClientId, ExpectedClientSecret = secret, ExpectedScope = Scopes[0] };

    private sealed class SingleHandlerHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory, IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new(handler, disposeHandler: false);

        public HttpClient CreateClient(string name) => _client;

        public HttpClient GetHttpClient() => _client;
    }
}
