using Microsoft.EntityFrameworkCore;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Secrets;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Web.Demo;

/// <summary>
/// The console with nothing configured: an embedded Office 365 emulator (identity platform with a sign-in page, IMAP, POP3 and
/// SMTP) and a Salesforce org emulator on loopback, and demo rows pointing at them: an app-only provider with two shared
/// mailboxes, a delegated provider with a user's own mailbox, and a Salesforce provider. The emulators are new at every start
/// (new tenant, application and secret), so the demo rows are rewritten at every start.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    public const string AppOnlyProvider = "demo-office365";
    public const string DelegatedProvider = "demo-delegated";
    public const string SalesforceProviderName = "demo-salesforce";
    public const string DelegatedUser = "agent";

    private DemoEnvironment(ModernAuthEmulator office365, SalesforceEmulator salesforce)
    {
        Office365 = office365;
        Salesforce = salesforce;
    }

    public ModernAuthEmulator Office365 { get; }

    public SalesforceEmulator Salesforce { get; }

    /// <summary>The delegated demo account, a user with their own mailbox.</summary>
    public string DelegatedAddress => $"{DelegatedUser}@{Office365.Tenant.Domain}";

    public static async Task<DemoEnvironment> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var options = new ModernAuthEmulatorOptions
        {
            TimeProvider = timeProvider,
            Identity = new EmulatorIdentityServerOptions { InteractiveSignIn = true },
        };
        options.UsersWithMailboxes.Add(DelegatedUser);
        var office365 = await ModernAuthEmulator.StartAsync(options, cancellationToken);
        try
        {
            var salesforce = await SalesforceEmulator.StartAsync(new SalesforceEmulatorOptions { TimeProvider = timeProvider }, cancellationToken);
            return new DemoEnvironment(office365, salesforce);
        }
        catch
        {
            await office365.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers the console's own callback (<c>{address}/signin-xcally</c>, each address it listens on) on the emulator's application.</summary>
    public IReadOnlyList<string> RegisterCallbacks(IEnumerable<string> listenAddresses)
    {
        var callbacks = new List<string>();
        foreach (var address in listenAddresses)
        {
            var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
            foreach (var host in new[] { uri.Host, "localhost", "127.0.0.1" }.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var callback = new UriBuilder(uri.Scheme, host, uri.Port, Features.SignIn.CallbackModel.Route).Uri.ToString();
                Office365.Application.AddRedirectUri(callback);
                callbacks.Add(callback);
            }
        }

        return callbacks;
    }

    /// <summary>Writes the demo rows (again), pointing at the emulators running now.</summary>
    public async Task SeedAsync(IDbContextFactory<AdminDbContext> databases, SecretProtector secrets, TimeProvider timeProvider, string? redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(secrets);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();

        var appOnly = await UpsertAsync(db, AppOnlyProvider, now, record => FillOffice365(record, AuthFlow.AppOnly, secrets, null), cancellationToken);
        var delegated = await UpsertAsync(db, DelegatedProvider, now, record => FillOffice365(record, AuthFlow.Delegated, secrets, redirectUri), cancellationToken);
        await UpsertAsync(db, SalesforceProviderName, now, record => FillSalesforce(record, secrets), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var mailbox in Office365.Mailboxes)
        {
            var provider = mailbox.Owner is null ? appOnly : delegated;
            var normalized = mailbox.Address.ToUpperInvariant();
            var account = await db.EmailAccounts.SingleOrDefaultAsync(a => a.NormalizedAddress == normalized, cancellationToken);
            if (account is null)
            {
                account = new EmailAccountRecord
                {
                    Address = mailbox.Address,
                    NormalizedAddress = normalized,
                    IsDemo = true,
                    WatchInbox = mailbox.Owner is null && mailbox.Address.StartsWith("support@", StringComparison.OrdinalIgnoreCase),
                };
                db.EmailAccounts.Add(account);
            }
            else if (!account.IsDemo)
            {
                continue;
            }

            var endpoints = new EmailAccountOptions { Address = mailbox.Address };
            Office365.ConfigureEmailAccount(endpoints);
            account.CloudProviderId = provider.Id;
            account.Imap = Endpoint(endpoints.Imap);
            account.Pop3 = Endpoint(endpoints.Pop3);
            account.Smtp = Endpoint(endpoints.Smtp);
            account.Version++;
            account.UpdatedOn = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Salesforce.DisposeAsync();
        await Office365.DisposeAsync();
    }

    private static async Task<CloudProviderRecord> UpsertAsync(
        AdminDbContext db, string name, DateTimeOffset now, Action<CloudProviderRecord> fill, CancellationToken cancellationToken)
    {
        var normalized = name.ToUpperInvariant();
        var record = await db.CloudProviders.SingleOrDefaultAsync(p => p.NormalizedName == normalized, cancellationToken);
        if (record is null)
        {
            record = new CloudProviderRecord { Name = name, NormalizedName = normalized, IsDemo = true };
            db.CloudProviders.Add(record);
        }

        fill(record);
        record.Version++;
        record.UpdatedOn = now;
        return record;
    }

    private void FillOffice365(CloudProviderRecord record, AuthFlow flow, SecretProtector secrets, string? redirectUri)
    {
        var options = new CloudProviderOptions();
        Office365.ConfigureCloudProvider(options, flow);
        record.Service = ProviderService.MicrosoftAzure;
        record.TenantId = options.TenantId;
        record.ClientId = options.ClientId;
        record.Cloud = CloudEnvironment.Global;
        record.Flow = flow;
        record.AuthorityHost = options.AuthorityHost;
        record.AllowNonMicrosoftAuthority = true;
        record.RedirectUri = flow == AuthFlow.Delegated ? redirectUri ?? options.RedirectUri : null;
        record.CredentialKind = ProviderCredentialKind.ClientSecret;
        record.ProtectedSecret = secrets.Protect(options.ClientSecret!);
        record.SecretSetOn = record.UpdatedOn == default ? DateTimeOffset.UtcNow : record.UpdatedOn;
        record.SecretExpiresOn = null;
    }

    private void FillSalesforce(CloudProviderRecord record, SecretProtector secrets)
    {
        var options = new SalesforceProviderOptions();
        Salesforce.ConfigureProvider(options);
        record.Service = ProviderService.Salesforce;
        record.SalesforceAppType = SalesforceAppType.ConnectedApp;
        record.SalesforceFlow = SalesforceFlow.ClientCredentials;
        record.LoginUrl = options.LoginUrl;
        record.ConsumerKey = options.ConsumerKey;
        record.AllowNonSalesforceHost = true;
        record.ProtectedSecret = secrets.Protect(options.ConsumerSecret!);
        record.SecretSetOn = DateTimeOffset.UtcNow;
    }

    private static MailEndpointRecord Endpoint(MailEndpointOptions options) =>
        new() { Enabled = true, Host = options.Host, Port = options.Port, TlsMode = options.TlsMode };
}
