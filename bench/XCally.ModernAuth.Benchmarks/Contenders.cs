using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;
using XCally.ModernAuth;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// The ways of getting an app-only token that are compared, each wired to its own <see cref="TestTokenEndpoint"/> on the same
/// non-Microsoft host (so nothing leaves the process) with the same tenant, client and secret: ours, built as a host builds it
/// through the public API (<c>AddXCallyModernAuth</c>, the SDK's named <c>HttpClient</c>); a dictionary with expiry in front of
/// MSAL (the limit); HybridCache's <c>GetOrCreateAsync</c> around MSAL (what a careful user builds with a kept library); bare
/// MSAL; Azure.Identity.
/// </summary>
internal sealed class Contenders : IDisposable
{
    public static readonly string[] Scopes = ["https://outlook.office365.com/.default"];

    private static readonly Uri EmulatorHost = new("https://login.emulator.test");
    private const string TenantId = "7f2c1a4e-0b5d-4c8e-9a61-3d2f8b7e5c10";
    private const string ClientId = "c3a9e2f1-6d4b-4a7e-8f05-1b2c3d4e5f60";

    private static readonly HybridCacheEntryOptions HybridEntry = new()
    {
        // Shorter than the token's hour, as a user must pick it: the entry options are fixed before the token is seen.
        Expiration = TimeSpan.FromMinutes(50),
        LocalCacheExpiration = TimeSpan.FromMinutes(50),
    };

    private readonly ServiceProvider _services;
    private readonly ServiceProvider _hybridServices;

    public Contenders()
    {
        var secret = "Xy8Q~" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'a').Replace('/', 'b') + "Zz9";
        OursEndpoint = NewEndpoint(secret);
        var services = new ServiceCollection();
        services.AddHttpClient(ModernAuthDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new NonDisposingHandler(OursEndpoint))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddXCallyModernAuth()
            .AddCloudProvider("bench", provider =>
            {
                provider.TenantId = TenantId;
                provider.ClientId = ClientId;
                provider.ClientSecret = secret;
                provider.AuthorityHost = EmulatorHost.ToString();
                provider.AllowNonMicrosoftAuthority = true;
            })
            .AddEmailAccount("shared@contoso.example", "bench");
        _services = services.BuildServiceProvider();
        Ours = _services.GetRequiredService<ITokenProvider>();
        Account = _services.GetRequiredService<IEmailAccountStore>().FindAsync("shared@contoso.example").AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("The bench account is not configured.");

        MsalEndpoint = NewEndpoint(secret);
        Msal = NewMsal(secret, MsalEndpoint);

        BaselineEndpoint = NewEndpoint(secret);
        Baseline = new DictionaryTokenCache(NewMsal(secret, BaselineEndpoint), Scopes);

        HybridEndpoint = NewEndpoint(secret);
        HybridMsal = NewMsal(secret, HybridEndpoint);
        var hybridServices = new ServiceCollection();
        hybridServices.AddHybridCache();
        _hybridServices = hybridServices.BuildServiceProvider();
        Hybrid = _hybridServices.GetRequiredService<HybridCache>();

        AzureEndpoint = NewEndpoint(secret);
        Azure = new Azure.Identity.ClientSecretCredential(TenantId, ClientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = EmulatorHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(new HttpClient(AzureEndpoint, disposeHandler: false)),
        });
    }

    public EmailAccount Account { get; }

    public TestTokenEndpoint OursEndpoint { get; }

    public ITokenProvider Ours { get; }

    public TestTokenEndpoint MsalEndpoint { get; }

    public IConfidentialClientApplication Msal { get; }

    public TestTokenEndpoint BaselineEndpoint { get; }

    public DictionaryTokenCache Baseline { get; }

    public TestTokenEndpoint HybridEndpoint { get; }

    public IConfidentialClientApplication HybridMsal { get; }

    public HybridCache Hybrid { get; }

    public TestTokenEndpoint AzureEndpoint { get; }

    public Azure.Identity.ClientSecretCredential Azure { get; }

    public static TokenRequestContext AzureRequest { get; } = new(Scopes);

    public void Dispose()
    {
        _services.Dispose();
        _hybridServices.Dispose();
    }

    /// <summary>The HybridCache contender: <c>GetOrCreateAsync</c> around MSAL's <c>AcquireTokenForClient</c>.</summary>
    public ValueTask<string> HybridGetAsync() =>
        Hybrid.GetOrCreateAsync(
            "xcally-bench:token:exchange",
            HybridMsal,
            static async (msal, cancellationToken) => (await msal.AcquireTokenForClient(Scopes).ExecuteAsync(cancellationToken)).AccessToken,
            HybridEntry);

    private static IConfidentialClientApplication NewMsal(string secret, TestTokenEndpoint endpoint) =>
        ConfidentialClientApplicationBuilder.Create(ClientId)
            .WithClientSecret(secret)
            .WithAuthority(EmulatorHost.ToString(), TenantId, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new SingleHandlerHttpClientFactory(endpoint))
            .Build();

    private static TestTokenEndpoint NewEndpoint(string secret) =>
        new() { ExpectedClientId = ClientId, ExpectedClientSecret = secret, ExpectedScope = Scopes[0] };

    private sealed class SingleHandlerHttpClientFactory(HttpMessageHandler handler) : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new(handler, disposeHandler: false);

        public HttpClient GetHttpClient() => _client;
    }

    // The endpoint outlives the service provider of one run: the HttpClient pipeline must not dispose it.
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _invoker.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
