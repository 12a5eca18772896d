using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using XCally.ModernAuth.Salesforce;
using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Stores;

/// <summary>
/// The providers and accounts of the database, built into the SDK's model once per change: the stores answer from this snapshot,
/// so a lookup costs a dictionary read and a secret is decrypted once per change rather than per call. A row the SDK's checks refuse is kept as its error,
/// thrown to whoever looks it up.
/// </summary>
/// <remarks>
/// The snapshot is tied to the change token current when it was read: every edit saved through the console raises the
/// <see cref="StoreChangeNotifier"/> (see <see cref="StoreChangeInterceptor"/>), which marks it stale before any listener of the
/// signal runs, so the SDK's sweep after a signal never reads the old one. Edits made by another process are not signalled.
/// </remarks>
public sealed class ProviderCatalog(IDbContextFactory<AdminDbContext> databases, RecordMapping mapping, StoreChangeNotifier notifier, ILogger<ProviderCatalog> logger)
{
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile Snapshot? _current;

    public IChangeToken GetChangeToken() => notifier.GetChangeToken();

    public async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && !current.ChangeToken.HasChanged)
        {
            return current;
        }

        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } rebuilt && !rebuilt.ChangeToken.HasChanged)
            {
                return rebuilt;
            }

            var snapshot = await BuildAsync(_current, cancellationToken);
            _current = snapshot;
            return snapshot;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private async Task<Snapshot> BuildAsync(Snapshot? previous, CancellationToken cancellationToken)
    {
        // Taken before reading: an edit saved during the read makes this snapshot stale at once.
        var token = notifier.GetChangeToken();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var providers = await db.CloudProviders.AsNoTracking().ToListAsync(cancellationToken);
        var accounts = await db.EmailAccounts.AsNoTracking().ToListAsync(cancellationToken);

        var azure = new Dictionary<string, Entry<CloudProvider>>(StringComparer.OrdinalIgnoreCase);
        var salesforce = new Dictionary<string, Entry<SalesforceProvider>>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in providers)
        {
            if (record.Service == ProviderService.Salesforce)
            {
                salesforce[record.Name] = previous?.Salesforce.GetValueOrDefault(record.Name) is { Version: var version } kept && version == record.Version
                    ? kept
                    : Build(record, mapping.ToSalesforceProvider);
            }
            else
            {
                azure[record.Name] = Build(record, mapping.ToCloudProvider);
            }
        }

        var byId = providers.ToDictionary(p => p.Id);
        var emailAccounts = new Dictionary<string, Entry<EmailAccount>>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in accounts)
        {
            var providerRecord = byId[record.CloudProviderId];
            emailAccounts[record.Address] = azure.TryGetValue(providerRecord.Name, out var provider) && provider.Value is { } built
                ? Build(record.Version, record.Address, () => EmailAccount.Create(RecordMapping.ToOptions(record, built.Name), built))
                : new Entry<EmailAccount>(record.Version, null, new ModernAuthException(
                    ModernAuthErrorCategory.InvalidConfiguration,
                    $"Email account '{record.Address}' belongs to cloud provider '{providerRecord.Name}', which cannot be used: {provider?.Error?.Message ?? "it is not a Microsoft Azure provider."}",
                    "Fix the provider on the Cloud Providers page.")
                {
                    AccountAddress = record.Address,
                    CloudProviderName = providerRecord.Name,
                });
        }

        return new Snapshot(token, azure, salesforce, emailAccounts);
    }

    private Entry<T> Build<T>(CloudProviderRecord record, Func<CloudProviderRecord, T> build)
        where T : class => Build(record.Version, record.Name, () => build(record));

    private Entry<T> Build<T>(long version, string name, Func<T> build)
        where T : class
    {
        try
        {
            return new Entry<T>(version, build(), null);
        }
        catch (ModernAuthException exception)
        {
            // The message names the setting and its fix, never a secret.
            logger.LogWarning("'{Name}' in the database cannot be used: {Problem}", name, exception.Message);
            return new Entry<T>(version, null, exception);
        }
    }

    /// <summary>One row built: the model, or why it could not be.</summary>
    public sealed record Entry<T>(long Version, T? Value, ModernAuthException? Error)
        where T : class
    {
        public T? GetOrThrow() => Error is not null ? throw Error : Value;
    }

    /// <summary>Everything read at one change.</summary>
    public sealed class Snapshot(
        IChangeToken changeToken,
        Dictionary<string, Entry<CloudProvider>> azure,
        Dictionary<string, Entry<SalesforceProvider>> salesforce,
        Dictionary<string, Entry<EmailAccount>> accounts)
    {
        public IChangeToken ChangeToken { get; } = changeToken;

        public IReadOnlyDictionary<string, Entry<CloudProvider>> Azure { get; } = azure;

        public IReadOnlyDictionary<string, Entry<SalesforceProvider>> Salesforce { get; } = salesforce;

        public IReadOnlyDictionary<string, Entry<EmailAccount>> Accounts { get; } = accounts;

        public IReadOnlyList<CloudProvider> AzureList { get; } = [.. azure.Values.Select(e => e.Value).OfType<CloudProvider>()];

        public IReadOnlyList<SalesforceProvider> SalesforceList { get; } = [.. salesforce.Values.Select(e => e.Value).OfType<SalesforceProvider>()];

        public IReadOnlyList<EmailAccount> AccountList { get; } = [.. accounts.Values.Select(e => e.Value).OfType<EmailAccount>()];
    }
}
