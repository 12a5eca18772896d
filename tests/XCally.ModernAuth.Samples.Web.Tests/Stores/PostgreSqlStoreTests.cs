using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Demo;
using XCally.ModernAuth.Samples.Web.Tests.Infrastructure;

namespace XCally.ModernAuth.Samples.Web.Tests.Stores;

/// <summary>The console on a real PostgreSQL server (<c>Database:Provider</c> = <c>PostgreSql</c>): its own migrations, the same stores.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PostgreSqlStoreTests
{
    [Fact]
    public async Task Console_OnPostgreSql_MigratesAndServesTheSdkFromIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var postgres = await PostgresServer.StartAsync();
        await using var host = await ConsoleHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["Database:ConnectionString"] = postgres.ConnectionString("xcally_console"),
                ["Demo:Enabled"] = "true",
            },
            ct);

        await using (var db = await host.OpenDatabaseAsync())
        {
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
            Assert.Contains(await db.Database.GetAppliedMigrationsAsync(ct), migration => migration.EndsWith("_InitialCreate", StringComparison.Ordinal));
            Assert.Equal(3, await db.CloudProviders.CountAsync(ct));
        }

        // The SDK gets a token through the stores over PostgreSQL, and an edit there is signalled.
        var accounts = host.App.Services.GetRequiredService<IEmailAccountStore>();
        var account = await accounts.FindAsync($"support@{host.Demo.Office365.Tenant.Domain}", ct);
        var token = await host.App.Services.GetRequiredService<ITokenProvider>().GetAccessTokenAsync(account!, TokenResource.ExchangeOnline, ct);
        Assert.NotEmpty(token.Token);
        var signal = accounts.GetChangeToken()!;
        await using (var db = await host.OpenDatabaseAsync())
        {
            var row = await db.EmailAccounts.SingleAsync(a => a.Address == account!.Address, ct);
            row.Pop3.Enabled = false;
            row.Version++;
            await db.SaveChangesAsync(ct);
        }

        Assert.True(signal.HasChanged);
        Assert.Null((await accounts.FindAsync(account!.Address, ct))!.Pop3);

        // Names are unique ignoring case on PostgreSQL too.
        await using (var db = await host.OpenDatabaseAsync())
        {
            db.CloudProviders.Add(new CloudProviderRecord { Name = "Demo-Office365", NormalizedName = DemoEnvironment.AppOnlyProvider.ToUpperInvariant() });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
        }
    }
}
