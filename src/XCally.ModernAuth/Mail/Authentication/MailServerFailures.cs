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

    private const string ImapBusy =
        "The token is fine and was kept. Hold fewer IMAP connections to {mailbox} at once: Exchange Online allows about 20 per mailbox, "
        + "shared by every application and device that uses it, and throttles a mailbox that sends too many commands; Dovecot allows "
        + "`mail_max_userip_connections` (10 by default) per user and client address. Reuse one connection per mailbox, disconnect clients "
        + "you no longer need, and try again after a pause (RetryAfter, when the server named one).";

    private const string Pop3Busy =
        "The token is fine and was kept. Hold fewer POP3 connections to {mailbox} at once (Exchange Online allows about 20 per mailbox; "
        + "Dovecot `mail_max_userip_connections`, 10 by default), and try again after a pause: a POP3 maildrop is also locked while "
        + "another session has it open.";

    private const string SmtpBusy =
        "The token is fine and was kept. The submission server is busy or limits concurrent connections per mailbox (Exchange Online "
        + "allows a few per mailbox): send for {mailbox} over one connection at a time and try again after a pause.";

    /// <summary>Every recognised refusal, in match order.</summary>
    public static IReadOnlyList<MailServerFailure> All { get; } =
    [
        new(
            MailProtocol.Imap,
            "User is authenticated but not connected",
            ModernAuthErrorCategory.MailboxPermissionDenied,
            MailRefusalKind.Permission,
            "The IMAP server accepted the token but its identity has no access to the mailbox.",
            "App-only: grant the application's service principal the mailbox with `Add-MailboxPermission -Identity {mailbox} -User <servicePrincipalId> "
                + "-AccessRights FullAccess`; for a shared mailbox the user name must be the shared mailbox's address. Exchange Online also answers "
                + "this for a while when the mailbox holds too many connections.",
            "Delegated: the signed-in user needs FullAccess to {mailbox} (`Add-MailboxPermission -AccessRights FullAccess`); for a shared mailbox the "
                + "user name must be the shared mailbox's address, not the signed-in user's. Exchange Online also answers this for a while when the "
                + "mailbox holds too many connections."),

        // Limits and throttling: Dovecot's per-user-and-address limit, Exchange Online's throttling, and the RFC 5530 codes.
        Busy(MailProtocol.Imap, "Maximum number of connections", "The IMAP server refused another connection to the mailbox: its connection limit is reached.", ImapBusy),
        Busy(MailProtocol.Imap, "Request is throttled", "The IMAP server is throttling the mailbox.", ImapBusy),
        Busy(MailProtocol.Imap, "[LIMIT]", "The IMAP server refused for a limit.", ImapBusy),
        Busy(MailProtocol.Imap, "[UNAVAILABLE]", "The IMAP server is temporarily unavailable.", ImapBusy),
        Busy(MailProtocol.Imap, "[INUSE]", "The IMAP server refused because the mailbox is in use.", ImapBusy),
        new(
            MailProtocol.Imap,
            "AUTHENTICATE failed",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            MailRefusalKind.Token,
            "The IMAP server refused the access token.",
            AppOnlyTokenRefused + ProtocolSwitchedOff,
            DelegatedTokenRefused + ProtocolSwitchedOff),
        Busy(MailProtocol.Pop3, "Maximum number of connections", "The POP3 server refused another connection to the mailbox: its connection limit is reached.", Pop3Busy),
        Busy(MailProtocol.Pop3, "Request is throttled", "The POP3 server is throttling the mailbox.", Pop3Busy),
        Busy(MailProtocol.Pop3, "[IN-USE]", "The POP3 server refused because the maildrop is in use by another session.", Pop3Busy),
        Busy(MailProtocol.Pop3, "[SYS/TEMP]", "The POP3 server has a temporary problem.", Pop3Busy),
        new(
            MailProtocol.Pop3,
            "Authentication failure",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            MailRefusalKind.Token,
            "The POP3 server refused the access token.",
            AppOnlyTokenRefused + ProtocolSwitchedOff,
            DelegatedTokenRefused + ProtocolSwitchedOff),
        new(
            MailProtocol.Smtp,
            "5.7.139",
            ModernAuthErrorCategory.ProtocolDisabled,
            MailRefusalKind.ProtocolDisabled,
            "SMTP AUTH is disabled for the tenant or the mailbox.",
            "Enable it for the mailbox with `Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false`, or for the tenant with "
                + "`Set-TransportConfig -SmtpClientAuthenticationDisabled $false` (security defaults also turn it off).",
            "Enable it for the mailbox with `Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false`, or for the tenant with "
                + "`Set-TransportConfig -SmtpClientAuthenticationDisabled $false` (security defaults also turn it off)."),

        // RFC 4954's "454 4.7.0 Temporary authentication failure", and Exchange's "4.3.2" (service not available, thread limit).
        Busy(MailProtocol.Smtp, "4.7.0", "The SMTP server could not check the token for now (a temporary failure).", SmtpBusy),
        Busy(MailProtocol.Smtp, "4.3.2", "The SMTP server is not available for now or limits concurrent connections.", SmtpBusy),
        new(
            MailProtocol.Smtp,
            "5.7.3",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            MailRefusalKind.Token,
            "The SMTP server refused the access token.",
            AppOnlyTokenRefused + " To send as the mailbox also `Add-RecipientPermission`.",
            DelegatedTokenRefused),

        // Any other refusal of a token, per protocol (an empty fragment): retried once, then reported with the usual causes.
        new(MailProtocol.Imap, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The IMAP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Pop3, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The POP3 server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Smtp, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The SMTP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
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

    private static MailServerFailure Busy(MailProtocol protocol, string fragment, string summary, string advice) =>
        new(protocol, fragment, ModernAuthErrorCategory.ServerBusy, MailRefusalKind.ServerBusy, summary, advice, advice);
}
