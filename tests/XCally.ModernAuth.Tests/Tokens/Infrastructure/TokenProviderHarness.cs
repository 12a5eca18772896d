using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>
/// A <see cref="TokenProvider"/> wired to a <see cref="TestTokenEndpoint"/> through a real <see cref="HttpClient"/>, MSAL and a
/// <see cref="FakeTimeProvider"/>, with captured logs and its own meter.
/// </summary>
internal sealed class TokenProviderHarness : IDisposable
{
    public TokenProviderHarness(
        CloudProvider provider,
        TestTokenEndpoint? endpoint = null,
        TimeSpan? httpTimeout = null,
        TestCloudProviderStore? store = null,
        IEmailAccountStore? accounts = null,
        TokenProviderOptions? options = null,
        IHttpClientFactory? httpClientFactory = null,
        ICloudProviderStore? otherStore = null)
    {
        Provider = provider;
        Endpoint = endpoint ?? new TestTokenEndpoint
        {
            ExpectedClientId = provider.ClientId,
            ExpectedClientSecret = (provider.Credential as ClientSecretCredential)?.Secret,
        };
        Store = store ?? new TestCloudProviderStore(provider);
        HttpClientFactory = new TestHttpClientFactory(Endpoint, httpTimeout);
        Metrics = new TokenMetrics();
        Logger = new FakeLogger<TokenProvider>(Logs);
        var msalHttp = new MsalHttpClientFactory(httpClientFactory ?? HttpClientFactory);
        var applications = new ConfidentialClientApplicationFactory(msalHttp);

        // Delegated accounts keep their sign-ins in memory here; none is signed in unless a test does so.
        _services = new ServiceCollection().BuildServiceProvider();
        var cache = new TokenCacheEntryStore(
            Options.Create(new TokenCacheOptions { Storage = TokenCacheStorage.Memory }), _services, NullLogger<TokenCacheEntryStore>.Instance);
        TokenProvider = new TokenProvider(
            otherStore ?? Store,
            applications,
            Time,
            Metrics,
            Logger,
            new DelegatedClientFactory(applications, msalHttp, cache),
            accounts,
            Options.Create(options ?? new TokenProviderOptions()));
    }

    private readonly ServiceProvider _services;

    public CloudProvider Provider { get; }

    public TestTokenEndpoint Endpoint { get; }

    public TestCloudProviderStore Store { get; }

    public TestHttpClientFactory HttpClientFactory { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeLogCollector Logs { get; } = new();

    public FakeLogger<TokenProvider> Logger { get; }

    public TokenMetrics Metrics { get; }

    public TokenProvider TokenProvider { get; }

    public EmailAccount Account => TestModels.Account(Provider);

    public ValueTask<AccessToken> GetAsync(MailProtocol protocol = MailProtocol.Imap) =>
        TokenProvider.GetAccessTokenAsync(Account, protocol, TestContext.Current.CancellationToken);

    /// <summary>The token a call returns without waiting, or <see langword="null"/> when the call would have to wait.</summary>
    public AccessToken? GetIfImmediate(MailProtocol protocol = MailProtocol.Imap)
    {
        var pending = GetAsync(protocol);
        return pending.IsCompletedSuccessfully ? pending.Result : null;
    }

    /// <summary>How many background refreshes have started (logged synchronously when the refresh timer fires).</summary>
    public int RefreshesStarted() =>
        Logs.GetSnapshot().Count(record => record.Id.Id == 1003);

    /// <summary>Everything logged, messages and exceptions, as one text to search for leaks.</summary>
    public string AllLogText() => string.Join(
        Environment.NewLine,
        Logs.GetSnapshot().Select(record => $"{record.Level} {record.Message} {record.Exception}"));

    public IReadOnlyList<FakeLogRecord> LogsAtOrAbove(LogLevel level) =>
        Logs.GetSnapshot().Where(record => record.Level >= level).ToArray();

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; background work runs on the thread pool.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMilliseconds = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        TokenProvider.Dispose();
        Metrics.Dispose();
        _services.Dispose();
        Endpoint.OpenGate();
    }
}

/// <summary>An <see cref="IHttpClientFactory"/> whose clients all go to one in-process handler, counting the names asked for.</summary>
internal sealed class TestHttpClientFactory(HttpMessageHandler handler, TimeSpan? timeout = null) : IHttpClientFactory
{
    private int _created;

    public int ClientsCreated => Volatile.Read(ref _created);

    public string? LastName { get; private set; }

    public HttpClient CreateClient(string name)
    {
        Interlocked.Increment(ref _created);
        LastName = name;
        return new HttpClient(handler, disposeHandler: false) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }
}
