namespace XCally.ModernAuth.Internal;

/// <summary>Lets the authorization service drop a delegated account's fast path after a new sign-in or a revocation.</summary>
internal interface IDelegatedAccountReset
{
    /// <summary>Forgets a sign-in's cached token and stops its refreshes; the next call reads the token cache again.</summary>
    /// <param name="cloudProviderName">The accounts' provider.</param>
    /// <param name="signInName">The sign-in's name (<see cref="DelegatedUser.SignInName"/>): the account's address, or the user serving shared mailboxes.</param>
    void ResetDelegatedAccount(string cloudProviderName, string signInName);
}
