namespace XCally.ModernAuth.Internal;

/// <summary>Lets the authorization service drop a delegated account's fast path after a new sign-in or a revocation.</summary>
internal interface IDelegatedAccountReset
{
    /// <summary>Forgets the account's cached token and stops its refreshes; the next call reads the token cache again.</summary>
    /// <param name="cloudProviderName">The account's provider.</param>
    /// <param name="accountAddress">The account's address.</param>
    void ResetDelegatedAccount(string cloudProviderName, string accountAddress);
}
