using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Tests.Stores.Database;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

// TestTokenEndpoint is the tests' in-process token endpoint (linked); the rest is the SDK's public API.

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// The warm path with the default store (providers from configuration) beside a host's own EF Core store on a SQLite database
/// file, both registered through <c>AddXCallyModernAuth</c> and served by the same in-process token endpoint. With its change
/// signal the database store is not called on warm calls: the lookup count is printed after the run.
/// </summary>
[MemoryDiagnoser]
public class StoreWarmPathBenchmarks
{
    private const string EndpointHost = "https://login.emulator.test";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "xcally-bench-sqlite-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _configured = null!;
    private ServiceProvider _database = null!;
    private ITokenProvider _configuredTokens = null!;
    private ITokenProvider _databaseTokens = null!;
    private EmailAccount _configuredAccount = null!;
    private EmailAccount _databaseAccount = null!;
    private DatabaseCloudProviderStore _store = null!;
    private int _lookupsAfterWarmUp;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var secret = "Xy8Q~" + Guid.NewGuid().ToString("N") + "Zz9";
        var tenant = Guid.NewGuid().ToString();
        var client = Guid.NewGuid().ToString();
        _configured = Host(secret, tenant, client, services => services.AddXCallyModernAuth()
            .AddCloudProvider("bench", options => Configure(options, secret, tenant, client))
            .AddEmailAccount("shared@contoso.example", "bench"));

        Directory.CreateDirectory(_folder);
        _database = Host(secret, tenant, client, services =>
        {
            services.AddDbContextFactory<ModernAuthDbContext>(options => options.UseSqlite($"Data Source={Path.Combine(_folder, "modernauth.db")}"));
            services.AddSingleton<StoreChangeNotifier>();
            services.AddSingleton<DatabaseCloudProviderStore>();
            services.AddSingleton<ICloudProviderStore>(sp => sp.GetRequiredService<DatabaseCloudProviderStore>());
            services.AddXCallyModernAuth();
        });
        await using (var db = await _database.GetRequiredService<IDbContextFactory<ModernAuthDbContext>>().CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
            db.CloudProviders.Add(new CloudProviderRow
            {
                Name = "bench",
                TenantId = tenant,
                ClientId = client,
                ClientSecret = secret,
                AuthorityHost = EndpointHost,
            });
            await db.SaveChangesAsync();
        }

        _configuredTokens = _configured.GetRequiredService<ITokenProvider>();
        _databaseTokens = _database.GetRequiredService<ITokenProvider>();
        _store = _database.GetRequiredService<DatabaseCloudProviderStore>();
        _configuredAccount = (await _configured.GetRequiredService<IEmailAccountStore>().FindAsync("shared@contoso.example"))!;
        _databaseAccount = EmailAccount.Create(
            new EmailAccountOptions { Address = "shared@contoso.example", CloudProvider = "bench" },
            (await _store.FindAsync("bench"))!);
        await _configuredTokens.GetAccessTokenAsync(_configuredAccount, MailProtocol.Imap);
        await _databaseTokens.GetAccessTokenAsync(_databaseAccount, MailProtocol.Imap);
        _lookupsAfterWarmUp = _store.Lookups;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// Database store lookups: {_lookupsAfterWarmUp} to warm up, {_store.Lookups - _lookupsAfterWarmUp} during the measured calls.");
        _configured.Dispose();
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Default store (configuration)")]
    public AccessToken DefaultStore() => Get(_configuredTokens, _configuredAccount);

    [Benchmark(Description = "EF Core + SQLite store with change signal")]
    public AccessToken DatabaseStore() => Get(_databaseTokens, _databaseAccount);

    private static AccessToken Get(ITokenProvider tokens, EmailAccount account)
    {
        var pending = tokens.GetAccessTokenAsync(account, MailProtocol.Imap);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static void Configure(CloudProviderOptions options, string secret, string tenant, string client)
    {
        options.TenantId = tenant;
        options.ClientId = client;
        options.ClientSecret = secret;
        options.AuthorityHost = EndpointHost;
        options.AllowNonMicrosoftAuthority = true;
    }

    private static ServiceProvider Host(string secret, string tenant, string client, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var endpoint = new TestTokenEndpoint { ExpectedClientId = client, ExpectedClientSecret = secret };
        services.AddHttpClient(ModernAuthDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => endpoint);
        configure(services);
        _ = tenant;
        return services.BuildServiceProvider();
    }
}
