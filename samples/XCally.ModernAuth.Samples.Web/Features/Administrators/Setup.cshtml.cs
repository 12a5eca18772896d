using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using XCally.ModernAuth.Samples.Web.Administrators;

namespace XCally.ModernAuth.Samples.Web.Features.Administrators;

/// <summary>
/// First run: the administrator's password is chosen here, once, and only from this machine (a loopback connection), so that whoever
/// reaches a freshly deployed console over the network first cannot claim it.
/// </summary>
public sealed class SetupModel(AdministratorAccounts administrators) : PageModel
{
    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    public string UserName => administrators.UserName;

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await RefuseAsync(cancellationToken) is { } refused ? refused : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await RefuseAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (AdministratorAccounts.CheckPassword(Password) is { } problem)
        {
            ModelState.AddModelError(nameof(Password), $"Too short: {problem}.");
        }
        else if (!string.Equals(Password, Confirmation, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirmation), "The two passwords differ.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await administrators.SetPasswordAsync(Password!, cancellationToken);
        TempData["Notice"] = "The administrator password is set: sign in with it.";
        return Redirect("/signin");
    }

    private async Task<IActionResult?> RefuseAsync(CancellationToken cancellationToken)
    {
        if (await administrators.ExistsAsync(cancellationToken))
        {
            return Redirect("/signin");
        }

        var remote = HttpContext.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            Refusal = "The first password can only be set from the machine the console runs on, or with Admin:Password in the configuration.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        return null;
    }
}
