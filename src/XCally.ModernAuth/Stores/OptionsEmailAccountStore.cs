using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Internal;

/// <summary>The default <see cref="IEmailAccountStore"/>: the accounts of the validated configuration, following reloads.</summary>
/// <remarks>Lookups read an immutable snapshot: no lock, no allocation, always completed synchronously.</remarks>
internal sealed class OptionsEmailAccountStore(ConfiguredModel model) : IEmailAccountStore
{
    public ValueTask<EmailAccount?> FindAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new(model.Current.Accounts.GetValueOrDefault(address));
    }

    public ValueTask<IReadOnlyList<EmailAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        new(model.Current.AccountList);

    public IChangeToken GetChangeToken() => model.Changes.GetChangeToken();
}
