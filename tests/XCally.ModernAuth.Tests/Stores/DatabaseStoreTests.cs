using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Tests.Stores.Database;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Stores;

/// <summary>
/// The token provider over a host's own store on a real SQLite database file through EF Core (no mock): a singleton store with
/// an <see cref="IDbContextFactory{TContext}"/> and a <see cref="StoreChangeNotifier"/>, as the docs show it.
/// </summary>
public sealed class DatabaseStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "xcally-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _database;

    public DatabaseStoreTests()
    {
        Directory.CreateDirectory(_folder);
        _database = new ServiceCollection()
            .AddDbContextFactory<ModernAuthDbContext>(options => options.UseSqlite($"Data Source={Path.Combine(_folder, "modernauth.db")};Pooling=False"))
            .BuildServiceProvider();
        using var db = Contexts.CreateDbContext();
        db.Database.EnsureCreated();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IDbContextFactory<ModernAuthDbContext> Contexts => _database.GetRequiredService<IDbContextFactory<ModernAuthDbContext>>();

    [Fact]
    public async Task GetAccessTokenAsync_ProviderInASqliteFile_OneRequestOneLookupAndEditsTakeEffectAfterTheSignal()
    {
        var secret = TestModels.NewSecret();
        var provider = TestModels.Provider(new ClientSecretCredential(secret), name: "Contoso-DB");
        await AddAsync(provider, secret);
        var changes = new StoreChangeNotifier();
        var store = new DatabaseCloudProviderStore(Contexts, changes);
        using var harness = new TokenProviderHarness(provider, otherStore: store);

        // A store that builds new instances from its rows: 1,000 concurrent and 100 sequential callers, one request.
        var burst = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await harness.GetAsync(), Cancel)).ToArray();
        var tokens = await Task.WhenAll(burst).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(tokens[0].Token, (await harness.GetAsync()).Token);
        }

        Assert.Equal(1, harness.Endpoint.TokenRequestCount);
        Assert.Single(tokens.Select(token => token.Token).Distinct());
        Assert.Equal(1, store.Lookups);

        // An administrator rotates the secret: one new client, one new token, after the signal.
        var rotated = TestModels.NewSecret();
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            (await db.CloudProviders.SingleAsync(Cancel)).ClientSecret = rotated;
            await db.SaveChangesAsync(Cancel);
        }

        harness.Endpoint.ExpectedClientSecret = rotated;
        changes.NotifyChanged();
        var afterEdit = await harness.GetAsync();
        Assert.NotEqual(tokens[0].Token, afterEdit.Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);

        // ... and deletes it: the next call after the signal says so, with no token request.
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            db.CloudProviders.RemoveRange(db.CloudProviders);
            await db.SaveChangesAsync(Cancel);
        }

        changes.NotifyChanged();
        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync());
        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task FindAsync_AccountRows_BuiltWithTheSdksChecksAndFoundCaseInsensitively()
    {
        var secret = TestModels.NewSecret();
        var provider = TestModels.Provider(new ClientSecretCredential(secret), name: "Contoso-DB");
        await AddAsync(provider, secret);
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            db.EmailAccounts.Add(new EmailAccountRow { Address = "support@contoso.example", CloudProviderName = "contoso-db" });
            await db.SaveChangesAsync(Cancel);
        }

        var changes = new StoreChangeNotifier();
        var accounts = new DatabaseEmailAccountStore(Contexts, new DatabaseCloudProviderStore(Contexts, changes), changes);

        var account = await accounts.FindAsync("SUPPORT@contoso.example", Cancel);

        Assert.NotNull(account);
        Assert.Equal("support@contoso.example", account.Address);
        Assert.Single(await accounts.ListAsync(Cancel));
        Assert.Null(await accounts.FindAsync("nobody@contoso.example", Cancel));
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task AddAsync(CloudProvider provider, string secret)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        db.CloudProviders.Add(new CloudProviderRow
        {
            Name = provider.Name,
            TenantId = provider.TenantId,
            ClientId = provider.ClientId,
            ClientSecret = secret,
            Flow = AuthFlow.AppOnly,
            AuthorityHost = provider.AuthorityHost.ToString(),
        });
        await db.SaveChangesAsync(Cancel);
    }
}
