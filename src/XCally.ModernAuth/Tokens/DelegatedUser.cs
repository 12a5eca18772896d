namespace XCally.ModernAuth.Internal;

/// <summary>
/// Whose delegated sign-in serves an account: the mailbox's own user (their sign-in name is the account's user name or address),
/// or the user the account names in <see cref="EmailAccount.SignInUser"/> (an agent serving a shared mailbox). The token cache
/// entry and the token slot follow the sign-in, so one agent signed in once serves every shared mailbox that names them.
/// </summary>
internal static class DelegatedUser
{
    /// <summary>The name the sign-in is kept under (token cache key, token slot): <see cref="EmailAccount.SignInUser"/>, else the account's address.</summary>
    public static string SignInName(EmailAccount account) => account.SignInUser ?? account.Address;

    /// <summary>Whether <paramref name="signedInUser"/> is the user whose sign-in serves <paramref name="account"/>.</summary>
    public static bool Matches(string? signedInUser, EmailAccount account) =>
        account.SignInUser is { } user
            ? !string.IsNullOrEmpty(signedInUser) && string.Equals(signedInUser, user, StringComparison.OrdinalIgnoreCase)
            : Matches(signedInUser, account.UserName, account.Address);

    /// <summary>Whether <paramref name="signedInUser"/> is the mailbox's own user: their sign-in name is the user name or address.</summary>
    public static bool Matches(string? signedInUser, string userName, string address) =>
        !string.IsNullOrEmpty(signedInUser)
        && (string.Equals(signedInUser, userName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(signedInUser, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether two accounts are served by the same sign-in, accepting the same users: they may share one token slot. An agent's
    /// own account (user name = address) and the shared accounts naming that agent do.
    /// </summary>
    public static bool SameSignIn(EmailAccount first, EmailAccount second) =>
        ReferenceEquals(first, second)
        || (string.Equals(SignInName(first), SignInName(second), StringComparison.OrdinalIgnoreCase)
            && string.Equals(AlsoAccepted(first), AlsoAccepted(second), StringComparison.OrdinalIgnoreCase));

    // The second name a sign-in of the account may carry: an own account's user name (often its address), a shared one's sign-in user.
    private static string AlsoAccepted(EmailAccount account) => account.SignInUser ?? account.UserName;

    /// <summary>How messages name the sign-in of an account: the account for its own user, the user for a shared mailbox.</summary>
    public static string Describe(EmailAccount account) =>
        account.SignInUser is { } user
            ? $"user '{user}' (whose sign-in serves shared mailbox accounts such as '{account.Address}')"
            : $"email account '{account.Address}'";
}
