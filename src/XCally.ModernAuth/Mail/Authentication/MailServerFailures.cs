namespace XCally.ModernAuth.Internal;

/// <summary>
/// The one table of mail server refusals the SDK recognises (docs/troubleshooting.md is checked against it).
/// The first entry that matches wins, so specific responses come before general ones of the same protocol.
/// </summary>
internal static class MailServerFailures
{
    private const string AppOnlyTokenRefused =
        "App-only: register the application's service principal in Exchange Online with `New-ServicePrincipal -AppId {clientId} -ObjectId <objectId>` "
        + "using the object id of the Enterprise application (Enterprise applications blade), not the App registration's; grant it the mailbox with "
        + "`Add-MailboxPermission -Identity {mailbox} -User <servicePrincipalId> -AccessRights FullAccess`; and give the application permission "
        + "`{appPermission}` of Office 365 Exchange Online admin consent.";

    private const string DelegatedTokenRefused =
        "Delegated: the signed-in user must be {mailbox} or have FullAccess to it (for a shared mailbox the user name must be the shared mailbox's "
        + "address), and the delegated permission `{userPermission}` must be consented; sign in again with the right account.";

    private const string ProtocolSwitchedOff = " Also check the protocol is enabled for the mailbox (`Get-CASMailbox -Identity {mailbox}`).";

    /// <summary>Every recognised refusal, in match order.</summary>
    public static IReadOnlyList<MailServerFailure> All { get; } =
    [
        new(
            MailProtocol.Imap,
            "User is authenticated but not connected",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            RetryWithFreshToken: false,
            "The IMAP server accepted the token but its identity has no access to the mailbox.",
            "App-only: grant the application's service principal the mailbox with `Add-MailboxPermission -Identity {mailbox} -User <servicePrincipalId> "
                + "-AccessRights FullAccess`; for a shared mailbox the user name must be the shared mailbox's address.",
            "Delegated: the signed-in user needs FullAccess to {mailbox} (`Add-MailboxPermission -AccessRights FullAccess`); for a shared mailbox the "
                + "user name must be the shared mailbox's address, not the signed-in user's."),
        new(
            MailProtocol.Imap,
            "AUTHENTICATE failed",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            RetryWithFreshToken: true,
            "The IMAP server refused the access token.",
            AppOnlyTokenRefused + ProtocolSwitchedOff,
            DelegatedTokenRefused + ProtocolSwitchedOff),
        new(
            MailProtocol.Pop3,
            "Authentication failure",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            RetryWithFreshToken: true,
            "The POP3 server refused the access token.",
            AppOnlyTokenRefused + ProtocolSwitchedOff,
            DelegatedTokenRefused + ProtocolSwitchedOff),
        new(
            MailProtocol.Smtp,
            "5.7.139",
            ModernAuthErrorCategory.ProtocolDisabled,
            RetryWithFreshToken: false,
            "SMTP AUTH is disabled for the tenant or the mailbox.",
            "Enable it for the mailbox with `Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false`, or for the tenant with "
                + "`Set-TransportConfig -SmtpClientAuthenticationDisabled $false` (security defaults also turn it off).",
            "Enable it for the mailbox with `Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false`, or for the tenant with "
                + "`Set-TransportConfig -SmtpClientAuthenticationDisabled $false` (security defaults also turn it off)."),
        new(
            MailProtocol.Smtp,
            "5.7.3",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            RetryWithFreshToken: true,
            "The SMTP server refused the access token.",
            AppOnlyTokenRefused + " To send as the mailbox also `Add-RecipientPermission`.",
            DelegatedTokenRefused),

        // Any other refusal of a token, per protocol (an empty fragment): retried once, then reported with the usual causes.
        new(MailProtocol.Imap, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, RetryWithFreshToken: true, "The IMAP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Pop3, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, RetryWithFreshToken: true, "The POP3 server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Smtp, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, RetryWithFreshToken: true, "The SMTP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
    ];

    /// <summary>Finds the specific entry a response matches.</summary>
    /// <param name="protocol">The protocol of the response.</param>
    /// <param name="response">The server's response text.</param>
    /// <returns>The entry, or <see langword="null"/> when the response is not a known refusal.</returns>
    public static MailServerFailure? Find(MailProtocol protocol, string? response) =>
        response is null ? null : All.FirstOrDefault(failure => failure.ResponseFragment.Length > 0 && failure.Matches(protocol, response));

    /// <summary>The entry for a refused token whose response is not otherwise known.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The protocol's catch-all entry.</returns>
    public static MailServerFailure Fallback(MailProtocol protocol) =>
        All.First(failure => failure.Protocol == protocol && failure.ResponseFragment.Length == 0);
}
