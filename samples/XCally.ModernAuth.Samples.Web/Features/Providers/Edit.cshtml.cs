using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Features.Shared;
using XCally.ModernAuth.Samples.Web.Secrets;
using XCally.ModernAuth.Samples.Web.Stores;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

/// <summary>
/// Adds or edits a Microsoft Azure (Outlook365) provider. Every value is checked by the SDK itself (<see cref="CloudProvider.Create"/>)
/// before anything is saved, and each problem is shown at its field. The client secret and the certificate's password are write-only:
/// left empty, the stored ones are kept.
/// </summary>
public sealed partial class EditModel(
    IDbContextFactory<AdminDbContext> databases,
    SecretProtector secrets,
    RecordMapping mapping,
    TimeProvider timeProvider) : PageModel
{
    [BindProperty]
    public ProviderForm Form { get; set; } = new();

    public CloudProviderRecord? Existing { get; private set; }

    public string CallbackUrl => $"{Request.Scheme}://{Request.Host}{Features.SignIn.CallbackModel.Route}";

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            Form.RedirectUri = CallbackUrl;
            return Page();
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Existing = await db.CloudProviders.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.Service == ProviderService.MicrosoftAzure, cancellationToken);
        if (Existing is null)
        {
            return NotFound();
        }

        Form = ProviderForm.From(Existing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var record = id is null
            ? new CloudProviderRecord { Service = ProviderService.MicrosoftAzure }
            : await db.CloudProviders.SingleOrDefaultAsync(p => p.Id == id && p.Service == ProviderService.MicrosoftAzure, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        Existing = id is null ? null : record;
        var name = Form.Name?.Trim() ?? string.Empty;
        if (!NamePattern().IsMatch(name))
        {
            ModelState.AddModelError("Form.Name", "Use 1 to 64 letters, digits, '.', '-' or '_'; email accounts refer to the provider by this name.");
        }
        else if (await db.CloudProviders.AnyAsync(p => p.NormalizedName == name.ToUpperInvariant() && p.Id != record.Id, cancellationToken))
        {
            ModelState.AddModelError("Form.Name", $"A cloud provider named '{name}' exists already.");
        }

        var now = timeProvider.GetUtcNow();
        Form.ApplyTo(record, name);
        if (!string.IsNullOrEmpty(Form.ClientSecret))
        {
            record.ProtectedSecret = secrets.Protect(Form.ClientSecret.Trim());
            record.SecretSetOn = now;
        }

        if (await CertificateUpload.ApplyAsync(Form.CertificateFile, Form.CertificatePassword, record, secrets, cancellationToken) is { } certificateProblem)
        {
            ModelState.AddModelError("Form.CertificateFile", certificateProblem);
        }

        // Never echo a write-only value back into the page.
        Form.ClientSecret = null;
        Form.CertificatePassword = null;
        ModelState.Remove("Form.ClientSecret");
        ModelState.Remove("Form.CertificatePassword");

        if (ModelState.IsValid)
        {
            try
            {
                mapping.ToCloudProvider(record);
            }
            catch (ModernAuthException exception)
            {
                SdkValidation.AddTo(ModelState, exception, $"CloudProviders:{record.Name}", FieldOf, record.CredentialKind == ProviderCredentialKind.Certificate ? "Form.CertificateFile" : "Form.ClientSecret");
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        record.Version++;
        record.UpdatedOn = now;
        if (id is null)
        {
            db.CloudProviders.Add(record);
        }
        else
        {
            db.Entry(record).Property(p => p.Version).OriginalValue = Form.Version;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, "Another administrator changed this provider meanwhile; reload the page and apply your change again.");
            return Page();
        }

        TempData["Notice"] = $"Cloud provider '{record.Name}' saved.";
        return Redirect("/providers");
    }

    private static string? FieldOf(string setting) => setting switch
    {
        "TenantId" => "Form.TenantId",
        "ClientId" => "Form.ClientId",
        "RedirectUri" => "Form.RedirectUri",
        "AuthorityHost" => "Form.AuthorityHost",
        "SecretExpiresOn" => "Form.SecretExpiresOn",
        "Certificate" => "Form.CertificateFile",
        "Cloud" => "Form.Cloud",
        "Flow" => "Form.Flow",
        "ClientSecret" => "Form.ClientSecret",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>The provider form's fields; the secret and the certificate password are never filled from the database.</summary>
public sealed class ProviderForm
{
    public string? Name { get; set; }

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public CloudEnvironment Cloud { get; set; } = CloudEnvironment.Global;

    public AuthFlow Flow { get; set; } = AuthFlow.AppOnly;

    public string? RedirectUri { get; set; }

    public ProviderCredentialKind CredentialKind { get; set; } = ProviderCredentialKind.ClientSecret;

    public string? ClientSecret { get; set; }

    public DateTime? SecretExpiresOn { get; set; }

    public IFormFile? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    public string? AuthorityHost { get; set; }

    public bool AllowNonMicrosoftAuthority { get; set; }

    public long Version { get; set; }

    public static ProviderForm From(CloudProviderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ProviderForm
        {
            Name = record.Name,
            TenantId = record.TenantId,
            ClientId = record.ClientId,
            Cloud = record.Cloud,
            Flow = record.Flow,
            RedirectUri = record.RedirectUri,
            CredentialKind = record.CredentialKind,
            SecretExpiresOn = record.SecretExpiresOn?.UtcDateTime.Date,
            AuthorityHost = record.AuthorityHost,
            AllowNonMicrosoftAuthority = record.AllowNonMicrosoftAuthority,
            Version = record.Version,
        };
    }

    public void ApplyTo(CloudProviderRecord record, string name)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Name = name;
        record.NormalizedName = name.ToUpperInvariant();
        record.TenantId = Blank(TenantId);
        record.ClientId = Blank(ClientId);
        record.Cloud = Cloud;
        record.Flow = Flow;
        record.RedirectUri = Blank(RedirectUri);
        record.CredentialKind = CredentialKind;
        record.SecretExpiresOn = SecretExpiresOn is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date.Date, DateTimeKind.Utc)) : null;
        record.AuthorityHost = Blank(AuthorityHost);
        record.AllowNonMicrosoftAuthority = AllowNonMicrosoftAuthority;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
