using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Accounts;

public sealed class IndexModel(IDbContextFactory<AdminDbContext> databases) : PageModel
{
    public IReadOnlyList<EmailAccountRecord> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var accounts = await db.EmailAccounts.AsNoTracking().Include(a => a.CloudProvider).ToListAsync(cancellationToken);
        Accounts = [.. accounts.OrderBy(a => a.Address, StringComparer.OrdinalIgnoreCase)];
    }
}
