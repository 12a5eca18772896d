using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Features.Shared;
using XCally.ModernAuth.Samples.Web.Stores;

namespace XCally.ModernAuth.Samples.Web.Features.Accounts;

/// <summary>
/// Adds or edits an email account: its address, the Microsoft Azure provider it is associated with, which protocols it uses and their
/// endpoints (empty: the provider's cloud defaults, outlook.office365.com). Checked by <see cref="EmailAccount.Create"/> before saving.
/// </summary>
public sealed class EditModel(IDbContextFactory<AdminDbContext> databases, RecordMapping mapping, TimeProvider timeProvider) : PageModel
{
    [BindProperty]
    public AccountForm Form { get; set; } = new();

    public EmailAccountRecord? Existing { get; private set; }

    public IReadOnlyList<SelectListItem> Providers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await LoadProvidersAsync(db, cancellationToken);
        if (id is null)
        {
            return Page();
        }

        Existing = await db.EmailAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (Existing is null)
        {
            return NotFound();
        }

        Form = AccountForm.From(Existing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await LoadProvidersAsync(db, cancellationToken);
        var record = id is null ? new EmailAccountRecord() : await db.EmailAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        Existing = id is null ? null : record;
        var address = Form.Address?.Trim() ?? string.Empty;
        var provider = await db.CloudProviders.AsNoTracking().SingleOrDefaultAsync(p => p.Id == Form.CloudProviderId && p.Service == ProviderService.MicrosoftAzure, cancellationToken);
        if (provider is null)
        {
            ModelState.AddModelError("Form.CloudProviderId", "Choose the Microsoft Azure provider whose app registration issues this mailbox's tokens.");
        }

        if (address.Length > 0 && await db.EmailAccounts.AnyAsync(a => a.NormalizedAddress == address.ToUpperInvariant() && a.Id != record.Id, cancellationToken))
        {
            ModelState.AddModelError("Form.Address", $"The email account '{address}' exists already.");
        }

        Form.ApplyTo(record, address);
        if (ModelState.IsValid && provider is not null)
        {
            CloudProvider? built = null;
            try
            {
                built = mapping.ToCloudProvider(provider);
            }
            catch (ModernAuthException exception)
            {
                ModelState.AddModelError("Form.CloudProviderId", $"Cloud provider '{provider.Name}' cannot be used until it is fixed: {exception.Message}");
            }

            if (built is not null)
            {
                try
                {
                    EmailAccount.Create(RecordMapping.ToOptions(record, built.Name), built);
                }
                catch (ModernAuthException exception)
                {
                    SdkValidation.AddTo(ModelState, exception, address.Length == 0 ? "EmailAccounts" : $"EmailAccounts:{address}", FieldOf, "Form.Address");
                }
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        record.CloudProviderId = provider!.Id;
        record.Version++;
        record.UpdatedOn = timeProvider.GetUtcNow();
        if (id is null)
        {
            db.EmailAccounts.Add(record);
        }
        else
        {
            db.Entry(record).Property(a => a.Version).OriginalValue = Form.Version;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, "Another administrator changed this account meanwhile; reload the page and apply your change again.");
            return Page();
        }

        TempData["Notice"] = $"Email account '{record.Address}' saved.";
        return Redirect("/accounts");
    }

    private async Task LoadProvidersAsync(AdminDbContext db, CancellationToken cancellationToken)
    {
        var providers = await db.CloudProviders.AsNoTracking().Where(p => p.Service == ProviderService.MicrosoftAzure)
            .Select(p => new { p.Id, p.Name, p.Flow }).ToListAsync(cancellationToken);
        Providers = [.. providers.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => new SelectListItem($"{p.Name} ({p.Flow})", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
    }

    private static string? FieldOf(string setting) => setting switch
    {
        "Address" => "Form.Address",
        "UserName" => "Form.UserName",
        "CloudProvider" => "Form.CloudProviderId",
        "Imap" => "Form.Imap.Host",
        "Pop3" => "Form.Pop3.Host",
        "Smtp" => "Form.Smtp.Host",
        _ => null,
    };
}

/// <summary>The account form's fields.</summary>
public sealed class AccountForm
{
    public string? Address { get; set; }

    public string? UserName { get; set; }

    public int CloudProviderId { get; set; }

    public EndpointForm Imap { get; set; } = new();

    public EndpointForm Pop3 { get; set; } = new();

    public EndpointForm Smtp { get; set; } = new();

    public bool WatchInbox { get; set; }

    public long Version { get; set; }

    public static AccountForm From(EmailAccountRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AccountForm
        {
            Address = record.Address,
            UserName = record.UserName,
            CloudProviderId = record.CloudProviderId,
            Imap = EndpointForm.From(record.Imap),
            Pop3 = EndpointForm.From(record.Pop3),
            Smtp = EndpointForm.From(record.Smtp),
            WatchInbox = record.WatchInbox,
            Version = record.Version,
        };
    }

    public void ApplyTo(EmailAccountRecord record, string address)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Address = address;
        record.NormalizedAddress = address.ToUpperInvariant();
        record.UserName = string.IsNullOrWhiteSpace(UserName) ? null : UserName.Trim();
        record.Imap = Imap.ToRecord();
        record.Pop3 = Pop3.ToRecord();
        record.Smtp = Smtp.ToRecord();
        record.WatchInbox = WatchInbox && Imap.Enabled;
    }
}

/// <summary>One protocol's fields.</summary>
public sealed class EndpointForm
{
    public bool Enabled { get; set; } = true;

    public string? Host { get; set; }

    public int? Port { get; set; }

    public MailTlsMode? TlsMode { get; set; }

    public static EndpointForm From(MailEndpointRecord record) => new() { Enabled = record.Enabled, Host = record.Host, Port = record.Port, TlsMode = record.TlsMode };

    public MailEndpointRecord ToRecord() => new()
    {
        Enabled = Enabled,
        Host = string.IsNullOrWhiteSpace(Host) ? null : Host.Trim(),
        Port = Port,
        TlsMode = TlsMode,
    };
}
