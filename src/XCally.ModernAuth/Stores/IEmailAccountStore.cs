using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth;

/// <summary>
/// Where the SDK finds email accounts. The default reads the validated <see cref="ModernAuthOptions"/> and follows configuration
/// reloads; a host that keeps accounts in its own database registers its own implementation.
/// </summary>
public interface IEmailAccountStore
{
    /// <summary>Finds an account by address (case-insensitive).</summary>
    /// <param name="address">The account's email address.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The account, or <see langword="null"/> when there is none with that address.</returns>
    ValueTask<EmailAccount?> FindAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>Lists every account.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The accounts.</returns>
    ValueTask<IReadOnlyList<EmailAccount>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A change token that fires when accounts may have been added, changed or removed, so that the SDK stops refreshing the
    /// tokens of accounts that are gone or were moved to another provider. <see cref="StoreChangeNotifier"/> is a ready-made one.
    /// </summary>
    /// <returns>
    /// The token, or <see langword="null"/> (the default) when the store cannot tell: the tokens of an account nobody asks for
    /// any more then stop being refreshed after <see cref="TokenProviderOptions.IdleRefreshLimit"/> refresh periods.
    /// </returns>
    IChangeToken? GetChangeToken() => null;
}
