using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>An account store a test fills and empties, signalling each change as a host's store would.</summary>
internal sealed class TestEmailAccountStore : IEmailAccountStore
{
    private readonly StoreChangeNotifier _changes = new();
    private volatile ConcurrentDictionary<string, EmailAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces every account and signals the change.</summary>
    public void Set(IEnumerable<EmailAccount> accounts)
    {
        _accounts = new ConcurrentDictionary<string, EmailAccount>(
            accounts.Select(account => KeyValuePair.Create(account.Address, account)), StringComparer.OrdinalIgnoreCase);
        _changes.NotifyChanged();
    }

    public ValueTask<EmailAccount?> FindAsync(string address, CancellationToken cancellationToken = default) =>
        new(_accounts.GetValueOrDefault(address));

    public ValueTask<IReadOnlyList<EmailAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        new(_accounts.Values.ToArray());

    public IChangeToken GetChangeToken() => _changes.GetChangeToken();
}
