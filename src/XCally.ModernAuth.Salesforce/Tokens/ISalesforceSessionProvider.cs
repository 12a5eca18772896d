namespace XCally.ModernAuth.Salesforce;

/// <summary>
/// Salesforce sessions on the SDK's token fast path: one session per provider, shared by every caller (a lock-free hit; concurrent
/// misses share one token request), renewed in the background before the org's session timeout, and once more when Salesforce
/// answers <c>INVALID_SESSION_ID</c>. Thread-safe.
/// </summary>
public interface ISalesforceSessionProvider
{
    /// <summary>Gets the provider's session.</summary>
    /// <param name="providerName">The Salesforce provider's name.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (not a token request other callers share).</param>
    /// <returns>The session.</returns>
    /// <exception cref="ModernAuthException">No provider has that name, or Salesforce refused the sign-in; the exception names the fix.</exception>
    ValueTask<SalesforceSession> GetSessionAsync(string providerName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops a session Salesforce refused (<c>INVALID_SESSION_ID</c>), so the next call signs in again. A session already replaced
    /// is left alone, so that many callers refused at once cause one new sign-in.
    /// </summary>
    /// <param name="refused">The refused session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when done.</returns>
    ValueTask InvalidateAsync(SalesforceSession refused, CancellationToken cancellationToken = default);
}
