using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Status;

/// <summary>Which accounts the administrator asked to watch (a console setting, not one of the SDK's).</summary>
public sealed class WatchedAccounts(IDbContextFactory<AdminDbContext> databases)
{
    /// <summary>The addresses marked "watch the inbox", in one query.</summary>
    public async Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var addresses = await db.EmailAccounts.AsNoTracking().Where(a => a.WatchInbox).Select(a => a.Address).ToListAsync(cancellationToken);
        return addresses.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
