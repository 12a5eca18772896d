namespace XCally.ModernAuth;

/// <summary>
/// Finds which set-up step of an email account is missing, step by step, and reports the health of every cloud provider and
/// account without disturbing them. Registered by <c>AddXCallyModernAuth</c>; thread-safe. Nothing it returns holds a secret or
/// a token.
/// </summary>
public interface IModernAuthDiagnostics
{
    /// <summary>
    /// Runs the checks of one account in order: its configuration, its credential's expiry, the tenant known to the identity
    /// platform, a token, the token's claims against what the account needs, then for each enabled protocol the connection and
    /// TLS, the SASL mechanism offered, the sign-in, and IMAP's INBOX or SMTP's <c>MAIL FROM</c> (then <c>RSET</c>: nothing is
    /// sent). It stops at the first failed step, which names what it blocks and how to fix it.
    /// </summary>
    /// <param name="accountAddress">The email account's address.</param>
    /// <param name="scope">
    /// <see cref="DiagnosisScope.Full"/> for every step; <see cref="DiagnosisScope.Cheap"/> for the steps that touch no mail server
    /// and ask the identity platform nothing while a valid token is cached (what the health checks run).
    /// </param>
    /// <param name="cancellationToken">Cancels the diagnosis.</param>
    /// <returns>The steps that ran, with their outcome, time, evidence and fix.</returns>
    Task<ModernAuthDiagnosis> DiagnoseAsync(string accountAddress, DiagnosisScope scope = DiagnosisScope.Full, CancellationToken cancellationToken = default);

    /// <summary>
    /// The health of every cloud provider (credential expiry; a token obtainable, from the cache when one is valid; the last
    /// token request's outcome) and of every email account (a delegated sign-in present and usable, the last sign-in over each
    /// protocol, the IMAP IDLE session's state), for health checks and dashboards. No request reaches the identity platform while
    /// a valid token is cached, and none reaches a mail server.
    /// </summary>
    /// <param name="options">What to report; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The status of each provider and account.</returns>
    Task<ModernAuthStatus> GetStatusAsync(ModernAuthStatusOptions? options = null, CancellationToken cancellationToken = default);
}
