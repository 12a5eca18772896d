using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.SignIn;

/// <summary>
/// Starts a delegated sign-in (<see cref="IModernAuthAuthorization.BeginAsync"/>): the browser goes to the identity platform, which
/// comes back to <see cref="CallbackModel.Route"/>, the provider's redirect URI.
/// </summary>
public sealed class AuthenticateModel(IDbContextFactory<AdminDbContext> databases, IEmailAccountStore accounts, IModernAuthAuthorization authorization) : PageModel
{
    public EmailAccount? Account { get; private set; }

    public bool IsAuthorized { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        await RefreshStateAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Account is null)
        {
            return Account is null && Problem is not null ? Page() : NotFound();
        }

        try
        {
            var signInPage = await authorization.BeginAsync(Account, cancellationToken: cancellationToken);
            return Redirect(signInPage.ToString());
        }
        catch (ModernAuthException exception)
        {
            Problem = exception.Message;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Account is null)
        {
            return NotFound();
        }

        await authorization.RevokeAsync(Account, cancellationToken);
        TempData["Notice"] = $"The sign-in of '{Account.Address}' was removed from the token cache.";
        return Redirect($"/accounts/{id}/authenticate");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var address = await db.EmailAccounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.Address).SingleOrDefaultAsync(cancellationToken);
        if (address is null)
        {
            return false;
        }

        try
        {
            Account = await accounts.FindAsync(address, cancellationToken);
        }
        catch (ModernAuthException exception)
        {
            Problem = exception.Message;
        }

        return true;
    }

    private async Task RefreshStateAsync(CancellationToken cancellationToken)
    {
        if (Account is null)
        {
            return;
        }

        try
        {
            IsAuthorized = await authorization.IsAuthorizedAsync(Account, cancellationToken);
        }
        catch (ModernAuthException exception)
        {
            Problem = exception.Message;
        }
    }
}
