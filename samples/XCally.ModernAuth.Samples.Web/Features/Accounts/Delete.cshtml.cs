using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Status;

namespace XCally.ModernAuth.Samples.Web.Features.Accounts;

/// <summary>
/// Deletes an account. Saving raises the stores' change signal, so the SDK closes the account's token slots (no refresh after) and the
/// inbox watcher stops its session; a delegated account's sign-in is also removed from the token cache, so no refresh token outlives it.
/// </summary>
public sealed class DeleteModel(
    IDbContextFactory<AdminDbContext> databases,
    IEmailAccountStore accounts,
    IModernAuthAuthorization authorization,
    AccountActivity activity,
    ILogger<DeleteModel> logger) : PageModel
{
    public EmailAccountRecord? Account { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Account = await db.EmailAccounts.AsNoTracking().Include(a => a.CloudProvider).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return Account is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Account = await db.EmailAccounts.Include(a => a.CloudProvider).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (Account is null)
        {
            return NotFound();
        }

        EmailAccount? model = null;
        try
        {
            model = await accounts.FindAsync(Account.Address, cancellationToken);
        }
        catch (ModernAuthException)
        {
            // An account whose provider is broken has no sign-in to remove.
        }

        db.EmailAccounts.Remove(Account);
        await db.SaveChangesAsync(cancellationToken);
        if (model is not null && Account.CloudProvider?.Flow == AuthFlow.Delegated)
        {
            try
            {
                await authorization.RevokeAsync(model, cancellationToken);
            }
            catch (ModernAuthException exception)
            {
                logger.LogWarning("The sign-in of deleted account {Account} could not be removed from the token cache: {Problem}", Account.Address, exception.Message);
            }
        }

        activity.Forget(Account.Address);
        TempData["Notice"] = $"Email account '{Account.Address}' deleted.";
        return Redirect("/accounts");
    }
}
