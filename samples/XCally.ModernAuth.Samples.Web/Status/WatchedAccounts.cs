using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Status;

/// <summary>Which accounts the administrator asked to watch (a console setting, not one of the SDK's).</summary>
public sealed class WatchedAccounts(IDbContextFactory<AdminDbContext> databases)
{
    public async Task<bool> IsWatchedAsync(string address, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var normalized = address.ToUpperInvariant();
        return await db.EmailAccounts.AnyAsync(a => a.NormalizedAddress == normalized && a.WatchInbox, cancellationToken);
    }
}
