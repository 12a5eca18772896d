namespace XCally.ModernAuth;

/// <summary>
/// Hands out each account's <see cref="IMailTransport"/> as its <see cref="EmailAccount.Transport"/> says: IMAP/SMTP, Microsoft
/// Graph (with the <c>XCally.ModernAuth.Graph</c> package), or IMAP/SMTP with Graph for sending once SMTP AUTH is found disabled.
/// Registered by <c>AddXCallyModernAuth</c>; thread-safe.
/// </summary>
#pragma warning disable RS0026 // The overloads differ in the type of their first parameter, never in which optional parameters they take.
public interface IMailTransports
{
    /// <summary>The transport of an account.</summary>
    /// <param name="accountAddress">The account's address.</param>
    /// <param name="cancellationToken">Cancels the account lookup.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ModernAuthException">The account is unknown, or its transport's package is not registered.</exception>
    ValueTask<IMailTransport> GetAsync(string accountAddress, CancellationToken cancellationToken = default);

    /// <summary>The transport of an account.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ModernAuthException">The account's transport's package is not registered.</exception>
    IMailTransport Get(EmailAccount account);
}
#pragma warning restore RS0026
