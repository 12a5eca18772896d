using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Status;

namespace XCally.ModernAuth.Samples.Web.Features.Status;

public sealed class IndexModel(
    IDbContextFactory<AdminDbContext> databases,
    IEmailAccountStore accounts,
    IModernAuthAuthorization authorization,
    AccountActivity activity,
    HealthCheckService health) : PageModel
{
    public IReadOnlyList<StatusRow> Rows { get; private set; } = [];

    public string Health { get; private set; } = string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Health = (await health.CheckHealthAsync(cancellationToken)).Status.ToString();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var records = await db.EmailAccounts.AsNoTracking().Include(a => a.CloudProvider).ToListAsync(cancellationToken);
        var rows = new List<StatusRow>();
        foreach (var record in records.OrderBy(a => a.Address, StringComparer.OrdinalIgnoreCase))
        {
            var authorized = "app-only";
            if (record.CloudProvider?.Flow == AuthFlow.Delegated)
            {
                try
                {
                    authorized = await accounts.FindAsync(record.Address, cancellationToken) is { } account
                        && await authorization.IsAuthorizedAsync(account, cancellationToken)
                        ? "yes"
                        : "no: Authenticate it";
                }
                catch (ModernAuthException exception)
                {
                    authorized = exception.Category.ToString();
                }
            }

            rows.Add(new StatusRow(
                record.Address,
                record.CloudProvider?.Name ?? string.Empty,
                authorized,
                [activity.LastSignIn(record.Address, MailProtocol.Imap), activity.LastSignIn(record.Address, MailProtocol.Pop3), activity.LastSignIn(record.Address, MailProtocol.Smtp)],
                record.WatchInbox ? activity.Idle(record.Address) : null));
        }

        Rows = rows;
    }

    public sealed record StatusRow(string Address, string Provider, string Authorized, IReadOnlyList<AccountActivity.SignInRecord?> SignIns, AccountActivity.IdleRecord? Idle);
}
