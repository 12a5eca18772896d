using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Checks;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Accounts;

/// <summary>The Check page: runs <see cref="IAccountCheck"/> (a POST, since it connects to servers) and shows the checklist.</summary>
public sealed class CheckModel(IDbContextFactory<AdminDbContext> databases, IEmailAccountStore accounts, IAccountCheck check) : PageModel
{
    public string Address { get; private set; } = string.Empty;

    public CheckReport? Report { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            var account = await accounts.FindAsync(Address, cancellationToken);
            if (account is null)
            {
                return NotFound();
            }

            Report = await check.RunAsync(account, cancellationToken);
        }
        catch (ModernAuthException exception)
        {
            Problem = exception.Message;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var address = await db.EmailAccounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.Address).SingleOrDefaultAsync(cancellationToken);
        Address = address ?? string.Empty;
        return address is not null;
    }
}
