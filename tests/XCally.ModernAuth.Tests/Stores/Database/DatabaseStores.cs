using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Tests.Stores.Database;

/// <summary>
/// Cloud Providers from the host's database: a singleton that opens a short-lived <see cref="DbContext"/> per lookup from an
/// <see cref="IDbContextFactory{TContext}"/> (a DbContext is not thread-safe), builds the model with the SDK's own checks, and
/// signals edits through a <see cref="StoreChangeNotifier"/> so that warm calls never reach the database.
/// </summary>
public sealed class DatabaseCloudProviderStore(IDbContextFactory<ModernAuthDbContext> contexts, StoreChangeNotifier changes) : ICloudProviderStore
{
    /// <summary>How many lookups reached the database (for tests and the benchmark).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    private int _lookups;

    public async ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.CloudProviders.AsNoTracking().SingleOrDefaultAsync(provider => provider.Name == name, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    public async ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.CloudProviders.AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToArray();
    }

    public IChangeToken GetChangeToken() => changes.GetChangeToken();

    // A new instance per lookup is fine: the SDK compares providers by their settings.
    private static CloudProvider ToModel(CloudProviderRow row) => CloudProvider.Create(row.Name, new CloudProviderOptions
    {
        TenantId = row.TenantId,
        ClientId = row.ClientId,
        ClientSecret = row.ClientSecret,
        Flow = row.Flow,
        AuthorityHost = row.AuthorityHost,
        AllowNonMicrosoftAuthority = row.AuthorityHost is not null,
    });
}

/// <summary>Email accounts from the host's database, the same way.</summary>
public sealed class DatabaseEmailAccountStore(IDbContextFactory<ModernAuthDbContext> contexts, ICloudProviderStore providers, StoreChangeNotifier changes) : IEmailAccountStore
{
    public async ValueTask<EmailAccount?> FindAsync(string address, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.EmailAccounts.AsNoTracking().SingleOrDefaultAsync(account => account.Address == address, cancellationToken);
        return row is null ? null : await ToModelAsync(row, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<EmailAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.EmailAccounts.AsNoTracking().ToListAsync(cancellationToken);
        var accounts = new List<EmailAccount>(rows.Count);
        foreach (var row in rows)
        {
            if (await ToModelAsync(row, cancellationToken) is { } account)
            {
                accounts.Add(account);
            }
        }

        return accounts;
    }

    public IChangeToken GetChangeToken() => changes.GetChangeToken();

    private async ValueTask<EmailAccount?> ToModelAsync(EmailAccountRow row, CancellationToken cancellationToken) =>
        await providers.FindAsync(row.CloudProviderName, cancellationToken) is { } provider
            ? EmailAccount.Create(new EmailAccountOptions { Address = row.Address, UserName = row.UserName, CloudProvider = row.CloudProviderName }, provider)
            : null;
}
