using Microsoft.Extensions.Primitives;
using XCally.ModernAuth.Salesforce;

namespace XCally.ModernAuth.Samples.Web.Stores;

/// <summary>The SDK's <see cref="ICloudProviderStore"/> over the database, with the change signal of every saved edit.</summary>
public sealed class DatabaseCloudProviderStore(ProviderCatalog catalog) : ICloudProviderStore
{
    public async ValueTask<CloudProvider?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).Azure.GetValueOrDefault(name)?.GetOrThrow();

    public async ValueTask<IReadOnlyList<CloudProvider>> ListAsync(CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).AzureList;

    public IChangeToken? GetChangeToken() => catalog.GetChangeToken();
}

/// <summary>The SDK's <see cref="IEmailAccountStore"/> over the database, with the change signal of every saved edit.</summary>
public sealed class DatabaseEmailAccountStore(ProviderCatalog catalog) : IEmailAccountStore
{
    public async ValueTask<EmailAccount?> FindAsync(string address, CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).Accounts.GetValueOrDefault(address)?.GetOrThrow();

    public async ValueTask<IReadOnlyList<EmailAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).AccountList;

    public IChangeToken? GetChangeToken() => catalog.GetChangeToken();
}

/// <summary>
/// The Salesforce package's <see cref="ISalesforceProviderStore"/> over the database. Providers compare by their settings, so
/// an unchanged provider keeps its session whichever instance the store returns.
/// </summary>
public sealed class DatabaseSalesforceProviderStore(ProviderCatalog catalog) : ISalesforceProviderStore
{
    public async ValueTask<SalesforceProvider?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).Salesforce.GetValueOrDefault(name)?.GetOrThrow();

    public async ValueTask<IReadOnlyList<SalesforceProvider>> ListAsync(CancellationToken cancellationToken = default) =>
        (await catalog.GetAsync(cancellationToken)).SalesforceList;
}
