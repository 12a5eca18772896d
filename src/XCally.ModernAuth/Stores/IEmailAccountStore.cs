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
}
