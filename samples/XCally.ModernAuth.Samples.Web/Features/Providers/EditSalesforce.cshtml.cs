using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Features.Shared;
using XCally.ModernAuth.Samples.Web.Secrets;
using XCally.ModernAuth.Samples.Web.Stores;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

/// <summary>
/// Adds or edits a Salesforce provider (a connected app or External Client App: Consumer Key and Secret, My Domain, flow), checked by
/// the Salesforce package (<see cref="SalesforceProvider.Create"/>) before it is saved; <em>Check sign-in</em> gets a session from the org.
/// The Consumer Secret, password and security token are write-only.
/// </summary>
public sealed partial class EditSalesforceModel(
    IDbContextFactory<AdminDbContext> databases,
    SecretProtector secrets,
    RecordMapping mapping,
    ISalesforceSessionProvider sessions,
    TimeProvider timeProvider) : PageModel
{
    [BindProperty]
    public SalesforceForm Form { get; set; } = new();

    public CloudProviderRecord? Existing { get; private set; }

    public string? CheckResult { get; private set; }

    public ModernAuthException? CheckFailure { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return Page();
        }

        Existing = await FindAsync(id.Value, tracking: false, cancellationToken);
        if (Existing is null)
        {
            return NotFound();
        }

        Form = SalesforceForm.From(Existing);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(int id, CancellationToken cancellationToken)
    {
        Existing = await FindAsync(id, tracking: false, cancellationToken);
        if (Existing is null)
        {
            return NotFound();
        }

        Form = SalesforceForm.From(Existing);
        try
        {
            var session = await sessions.GetSessionAsync(Existing.Name, cancellationToken);
            CheckResult = $"Signed in to {session.InstanceUrl}; the session is valid until about {session.AccessToken.ExpiresOn.ToLocalTime():HH:mm}.";
        }
        catch (ModernAuthException exception)
        {
            CheckFailure = exception;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var record = id is null
            ? new CloudProviderRecord { Service = ProviderService.Salesforce }
            : await db.CloudProviders.SingleOrDefaultAsync(p => p.Id == id && p.Service == ProviderService.Salesforce, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        Existing = id is null ? null : record;
        var name = Form.Name?.Trim() ?? string.Empty;
        if (!NamePattern().IsMatch(name))
        {
            ModelState.AddModelError("Form.Name", "Use 1 to 64 letters, digits, '.', '-' or '_'.");
        }
        else if (await db.CloudProviders.AnyAsync(p => p.NormalizedName == name.ToUpperInvariant() && p.Id != record.Id, cancellationToken))
        {
            ModelState.AddModelError("Form.Name", $"A cloud provider named '{name}' exists already.");
        }

        var now = timeProvider.GetUtcNow();
        Form.ApplyTo(record, name);
        if (!string.IsNullOrEmpty(Form.ConsumerSecret))
        {
            record.ProtectedSecret = secrets.Protect(Form.ConsumerSecret.Trim());
            record.SecretSetOn = now;
        }

        if (!string.IsNullOrEmpty(Form.Password))
        {
            record.ProtectedPassword = secrets.Protect(Form.Password);
        }

        if (!string.IsNullOrEmpty(Form.SecurityToken))
        {
            record.ProtectedSecurityToken = secrets.Protect(Form.SecurityToken.Trim());
        }

        if (await CertificateUpload.ApplyAsync(Form.CertificateFile, Form.CertificatePassword, record, secrets, cancellationToken) is { } certificateProblem)
        {
            ModelState.AddModelError("Form.CertificateFile", certificateProblem);
        }

        Form.ConsumerSecret = null;
        Form.Password = null;
        Form.SecurityToken = null;
        Form.CertificatePassword = null;
        foreach (var writeOnly in new[] { "Form.ConsumerSecret", "Form.Password", "Form.SecurityToken", "Form.CertificatePassword" })
        {
            ModelState.Remove(writeOnly);
        }

        if (ModelState.IsValid)
        {
            try
            {
                mapping.ToSalesforceProvider(record);
            }
            catch (ModernAuthException exception)
            {
                SdkValidation.AddTo(ModelState, exception, $"CloudProviders:{record.Name}", FieldOf, "Form.ConsumerSecret");
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

        TempData["Notice"] = $"Salesforce provider '{record.Name}' saved.";
        return Redirect("/providers");
    }

    private async Task<CloudProviderRecord?> FindAsync(int id, bool tracking, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var query = tracking ? db.CloudProviders : db.CloudProviders.AsNoTracking();
        return await query.SingleOrDefaultAsync(p => p.Id == id && p.Service == ProviderService.Salesforce, cancellationToken);
    }

    private static string? FieldOf(string setting) => setting switch
    {
        "LoginUrl" => "Form.LoginUrl",
        "ConsumerKey" => "Form.ConsumerKey",
        "ConsumerSecret" => "Form.ConsumerSecret",
        "Username" => "Form.Username",
        "Password" => "Form.Password",
        "SecurityToken" => "Form.SecurityToken",
        "Certificate" => "Form.CertificateFile",
        "Flow" or "AllowUsernamePasswordFlow" => "Form.Flow",
        "SessionTimeout" => "Form.SessionTimeoutMinutes",
        "Type" => "Form.AppType",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>The Salesforce form's fields; secrets are never filled from the database.</summary>
public sealed class SalesforceForm
{
    public string? Name { get; set; }

    public SalesforceAppType AppType { get; set; } = SalesforceAppType.ConnectedApp;

    public SalesforceFlow Flow { get; set; } = SalesforceFlow.ClientCredentials;

    public string? LoginUrl { get; set; }

    public string? ConsumerKey { get; set; }

    public string? ConsumerSecret { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? SecurityToken { get; set; }

    public bool AllowUsernamePasswordFlow { get; set; }

    public IFormFile? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    public int SessionTimeoutMinutes { get; set; } = 120;

    public bool AllowNonSalesforceHost { get; set; }

    public long Version { get; set; }

    public static SalesforceForm From(CloudProviderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new SalesforceForm
        {
            Name = record.Name,
            AppType = record.SalesforceAppType,
            Flow = record.SalesforceFlow,
            LoginUrl = record.LoginUrl,
            ConsumerKey = record.ConsumerKey,
            Username = record.Username,
            AllowUsernamePasswordFlow = record.AllowUsernamePasswordFlow,
            SessionTimeoutMinutes = record.SessionTimeoutMinutes,
            AllowNonSalesforceHost = record.AllowNonSalesforceHost,
            Version = record.Version,
        };
    }

    public void ApplyTo(CloudProviderRecord record, string name)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Name = name;
        record.NormalizedName = name.ToUpperInvariant();
        record.SalesforceAppType = AppType;
        record.SalesforceFlow = Flow;
        record.LoginUrl = string.IsNullOrWhiteSpace(LoginUrl) ? null : LoginUrl.Trim();
        record.ConsumerKey = string.IsNullOrWhiteSpace(ConsumerKey) ? null : ConsumerKey.Trim();
        record.Username = string.IsNullOrWhiteSpace(Username) ? null : Username.Trim();
        record.AllowUsernamePasswordFlow = AllowUsernamePasswordFlow;
        record.SessionTimeoutMinutes = SessionTimeoutMinutes;
        record.AllowNonSalesforceHost = AllowNonSalesforceHost;
    }
}
