using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

public sealed class IndexModel(IDbContextFactory<AdminDbContext> databases) : PageModel
{
    public IReadOnlyList<CloudProviderRecord> Providers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var providers = await db.CloudProviders.AsNoTracking().Include(p => p.Accounts).ToListAsync(cancellationToken);
        Providers = [.. providers.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public string Credential(CloudProviderRecord provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (provider.CredentialKind == ProviderCredentialKind.Certificate && provider.Service == ProviderService.MicrosoftAzure
            || provider.Service == ProviderService.Salesforce && provider.SalesforceFlow == Salesforce.SalesforceFlow.JwtBearer)
        {
            return provider.CertificateThumbprint is null
                ? "certificate: not set"
                : $"certificate {provider.CertificateThumbprint[..8]}…, expires on {provider.CertificateExpiresOn?.ToLocalTime():yyyy-MM-dd}";
        }

        return "secret " + ProviderLinks.SecretState(provider.ProtectedSecret is null ? null : provider.SecretSetOn, provider.SecretExpiresOn, provider.Service == ProviderService.MicrosoftAzure);
    }
}
