using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

public sealed class DeleteModel(IDbContextFactory<AdminDbContext> databases) : PageModel
{
    public CloudProviderRecord? Provider { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Provider = await db.CloudProviders.AsNoTracking().Include(p => p.Accounts).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return Provider is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Provider = await db.CloudProviders.Include(p => p.Accounts).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (Provider is null)
        {
            return NotFound();
        }

        if (Provider.Accounts.Count > 0)
        {
            return Page();
        }

        db.CloudProviders.Remove(Provider);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Notice"] = $"Cloud provider '{Provider.Name}' deleted.";
        return Redirect("/providers");
    }
}
