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
        "Delegated: the signed-in user must be {mailbox}'s own user, or, for a shared mailbox, the agent named in the account's SignInUser, holding "
        + "Full Access to it (`Add-MailboxPermission -Identity {mailbox} -User <agent> -AccessRights FullAccess -AutoMapping $false`); the delegated "
        + "permission `{userPermission}` must be consented; sign in again with the right account.";

    private const string FullAccessForAgent =
        "Give {signInUser} Full Access to the shared mailbox with `Add-MailboxPermission -Identity {mailbox} -User {signInUser} -AccessRights FullAccess "
        + "-AutoMapping $false` (Exchange Online may take up to an hour to apply it), or set the account's SignInUser to a user who has it. The account's "
        + "UserName must be the shared mailbox's address ({mailbox}) and SignInUser the user who signs in.";

    private const string AppOnlySendAs =
        "App-only: the application's service principal sends as {mailbox} when it holds Send As on it: `Add-RecipientPermission -Identity {mailbox} "
        + "-Trustee <servicePrincipalId> -AccessRights SendAs` (the Enterprise application's object id, registered with `New-ServicePrincipal -AppId "
        + "{clientId}`); or send from the email account of the address in From, whose mailbox it logs in to.";

    private const string DelegatedSendAs =
        "Delegated: give {signInUser} Send As on {mailbox} with `Add-RecipientPermission -Identity {mailbox} -Trustee {signInUser} -AccessRights SendAs`, "
        + "or Send on Behalf with `Set-Mailbox -Identity {mailbox} -GrantSendOnBehalfTo @{Add=\"{signInUser}\"}` and the account's SendPermission set "
        + "to SendOnBehalf (Exchange Online may take up to an hour to apply either).";

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
            "Delegated: the signed-in user needs Full Access to {mailbox} (`Add-MailboxPermission -Identity {mailbox} -User {signInUser} -AccessRights "
                + "FullAccess -AutoMapping $false`); for a shared mailbox the account's UserName is the shared mailbox's address and SignInUser the agent "
                + "who signs in. Exchange Online also answers this for a while when the mailbox holds too many connections."),

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

        // Refusals at submission, after AUTH: the identity may log in but not send from the message's From, or (app-only) not open the mailbox.
        new(
            MailProtocol.Smtp,
            "5.2.252",
            ModernAuthErrorCategory.SendAsDenied,
            MailRefusalKind.Permission,
            "Exchange Online refused to send the message from its From address (SendAsDenied): the identity that signed in holds neither Send As nor Send on Behalf on it.",
            AppOnlySendAs,
            DelegatedSendAs),
        new(
            MailProtocol.Smtp,
            "SendAsDeniedException",
            ModernAuthErrorCategory.SendAsDenied,
            MailRefusalKind.Permission,
            "Exchange refused to send the message from its From address (SendAsDeniedException): the identity that signed in holds neither Send As nor Send on Behalf on it.",
            AppOnlySendAs,
            DelegatedSendAs),
        new(
            MailProtocol.Smtp,
            "5.7.60",
            ModernAuthErrorCategory.SendAsDenied,
            MailRefusalKind.Permission,
            "The SMTP server refused the sender: the identity that signed in may not send as that address.",
            AppOnlySendAs,
            DelegatedSendAs),
        new(
            MailProtocol.Smtp,
            "4.2.0",
            ModernAuthErrorCategory.MailboxPermissionDenied,
            MailRefusalKind.Permission,
            "Exchange Online accepted the login but could not open the mailbox to submit the message (STOREDRV mailbox logon failure).",
            "App-only: the application's service principal has no right on {mailbox}, the mailbox SMTP logs in to: grant it with "
                + "`Add-MailboxPermission -Identity {mailbox} -User <servicePrincipalId> -AccessRights FullAccess` (the Enterprise application's object id, "
                + "registered with `New-ServicePrincipal -AppId {clientId}`), and `Add-RecipientPermission -Identity {mailbox} -Trustee <servicePrincipalId> "
                + "-AccessRights SendAs` to send as it.",
            "Delegated: the signed-in user {signInUser} has no mailbox Exchange Online could open for the submission; check that the user has a licensed "
                + "mailbox (`Get-Mailbox -Identity {signInUser}`), and that SMTP logs in as that user."),

        // RFC 4954's "454 4.7.0 Temporary authentication failure", and Exchange's "4.3.2" (service not available, thread limit).
        Busy(MailProtocol.Smtp, "4.7.0", "The SMTP server could not check the token for now (a temporary failure).", SmtpBusy),
        Busy(MailProtocol.Smtp, "4.3.2", "The SMTP server is not available for now or limits concurrent connections.", SmtpBusy),
        new(
            MailProtocol.Smtp,
            "5.7.3",
            ModernAuthErrorCategory.MailboxAuthenticationFailed,
            MailRefusalKind.Token,
            "The SMTP server refused the access token.",
            AppOnlyTokenRefused + " To send as the mailbox also `Add-RecipientPermission -Identity {mailbox} -Trustee <servicePrincipalId> -AccessRights SendAs`.",
            "Delegated: SMTP accepts only the signed-in user's own name at login; for a shared mailbox set the account's SignInUser to the agent who signs "
                + "in (SMTP then logs in as the agent and sends from {mailbox} with Send As or Send on Behalf), and consent the delegated permission "
                + "`{userPermission}`; otherwise the signed-in user must be {mailbox}'s own user. Sign in again with the right account."),

        // Any other refusal of a token, per protocol (an empty fragment): retried once, then reported with the usual causes.
        new(MailProtocol.Imap, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The IMAP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Pop3, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The POP3 server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
        new(MailProtocol.Smtp, string.Empty, ModernAuthErrorCategory.MailboxAuthenticationFailed, MailRefusalKind.Token, "The SMTP server refused the access token.", AppOnlyTokenRefused, DelegatedTokenRefused),
    ];

    /// <summary>
    /// A shared mailbox's IMAP or POP3 login refused with the agent's own, sound token (<see cref="EmailAccount.SignInUser"/>): the
    /// agent lacks Full Access. Not matched by the server's words (Exchange answers as for a bad token), but recognised from the
    /// token's claims, so it is reported at once without another token request.
    /// </summary>
    /// <param name="protocol">IMAP or POP3.</param>
    /// <param name="agent">The user whose token was refused.</param>
    /// <returns>The failure.</returns>
    public static MailServerFailure DelegateWithoutFullAccess(MailProtocol protocol, string agent) =>
        new(
            protocol,
            string.Empty,
            ModernAuthErrorCategory.MailboxPermissionDenied,
            MailRefusalKind.Permission,
            $"The {protocol.ToString().ToUpperInvariant()} server refused the shared mailbox's login with the token of its agent, {agent}, whose "
                + "claims show nothing wrong: the agent has no Full Access to the mailbox, and no new token can change that.",
            FullAccessForAgent,
            FullAccessForAgent);

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
