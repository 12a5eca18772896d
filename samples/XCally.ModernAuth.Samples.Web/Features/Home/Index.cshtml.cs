using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Demo;

namespace XCally.ModernAuth.Samples.Web.Features.Home;

public sealed class IndexModel(IDbContextFactory<AdminDbContext> databases, ConsoleMode mode, IServiceProvider services) : PageModel
{
    public ConsoleMode Mode => mode;

    public DemoEnvironment? Demo => services.GetService<DemoEnvironment>();

    public IReadOnlyList<ProviderRow> Providers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.CloudProviders.AsNoTracking()
            .Select(p => new { p.Id, p.Name, p.Service, p.Flow, p.SalesforceFlow, Accounts = p.Accounts.Count })
            .ToListAsync(cancellationToken);
        Providers = [.. rows.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => new ProviderRow(
            p.Name,
            XCally.ModernAuth.Samples.Web.Features.Providers.ProviderLinks.ServiceName(p.Service),
            p.Service == ProviderService.Salesforce ? $"Salesforce, {p.SalesforceFlow}" : $"Outlook365, {p.Flow}",
            p.Accounts,
            XCally.ModernAuth.Samples.Web.Features.Providers.ProviderLinks.EditUrl(p.Id, p.Service)))];
    }

    public sealed record ProviderRow(string Name, string Service, string Kind, int Accounts, string EditUrl);
}
