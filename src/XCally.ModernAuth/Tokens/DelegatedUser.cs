namespace XCally.ModernAuth.Internal;

/// <summary>Whether the user who signed in is the mailbox's: their sign-in name is the account's user name or address.</summary>
internal static class DelegatedUser
{
    public static bool Matches(string? signedInUser, string userName, string address) =>
        !string.IsNullOrEmpty(signedInUser)
        && (string.Equals(signedInUser, userName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(signedInUser, address, StringComparison.OrdinalIgnoreCase));
}
