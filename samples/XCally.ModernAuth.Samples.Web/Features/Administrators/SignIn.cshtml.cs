using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Samples.Web.Administrators;

namespace XCally.ModernAuth.Samples.Web.Features.Administrators;

public sealed class SignInModel(AdministratorAccounts administrators, IOptions<AdministratorOptions> options) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public bool AdministratorExists { get; private set; } = true;

    public bool EntraEnabled => options.Value.OpenIdConnect.IsConfigured;

    public async Task OnGetAsync(string? failure, CancellationToken cancellationToken)
    {
        Problem = failure;
        UserName ??= administrators.UserName;
        AdministratorExists = await administrators.ExistsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (principal, problem) = await administrators.SignInAsync(UserName, Password, cancellationToken);
        Password = null;
        if (principal is null)
        {
            Problem = problem;
            AdministratorExists = await administrators.ExistsAsync(cancellationToken);
            return Page();
        }

        await HttpContext.SignInAsync(AdminConsole.CookieScheme, principal);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
