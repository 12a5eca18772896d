namespace XCally.ModernAuth;

/// <summary>What went wrong, so a host can decide what to do (retry, alert an administrator, ask for a new sign-in).</summary>
public enum ModernAuthErrorCategory
{
    /// <summary>Anything not classified below.</summary>
    Unknown = 0,

    /// <summary>The SDK's configuration is invalid (a setting is missing or malformed).</summary>
    InvalidConfiguration,

    /// <summary>The identity platform refused the client secret (AADSTS7000215); often the secret's ID was pasted instead of its value.</summary>
    InvalidClientSecret,

    /// <summary>The client secret has expired (AADSTS7000222).</summary>
    ClientSecretExpired,

    /// <summary>The client certificate or assertion was refused (AADSTS700027, AADSTS700024, ...).</summary>
    InvalidClientCertificate,

    /// <summary>No application with that client id exists in the tenant (AADSTS700016).</summary>
    ApplicationNotFound,

    /// <summary>The tenant does not exist or belongs to another cloud (AADSTS90002).</summary>
    TenantNotFound,

    /// <summary>The permissions were not granted or admin consent is missing (AADSTS65001).</summary>
    ConsentRequired,

    /// <summary>The requested scope is invalid (AADSTS70011), e.g. a Microsoft Graph scope instead of the Exchange Online resource.</summary>
    InvalidScope,

    /// <summary>The flow does not fit the app registration (AADSTS7000218, AADSTS700025, ...).</summary>
    InvalidClientConfiguration,

    /// <summary>The identity platform is throttling requests (HTTP 429); see <see cref="ModernAuthException.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>A passing failure: HTTP 5xx, a timeout, a dropped connection. Retrying later may succeed.</summary>
    Transient,

    /// <summary>A delegated account's sign-in is no longer valid (revoked consent, password reset, sign-in frequency); an administrator must sign in again.</summary>
    ReauthorizationRequired,

    /// <summary>The mail server refused the token (IMAP <c>AUTHENTICATE failed</c>, POP3 <c>-ERR Authentication failure</c>, SMTP <c>535 5.7.3</c>).</summary>
    MailboxAuthenticationFailed,

    /// <summary>The protocol is switched off for the tenant or mailbox (SMTP <c>535 5.7.139</c>).</summary>
    ProtocolDisabled,

    /// <summary>The mail server offers neither XOAUTH2 nor OAUTHBEARER.</summary>
    UnsupportedServer,

    /// <summary>The connection is not protected by TLS, or the server's certificate could not be verified, so no bearer token or credential is sent over it.</summary>
    InsecureConnection,

    /// <summary>
    /// The answer to a delegated sign-in cannot be accepted: its <c>state</c> is unknown, was already used or has expired
    /// (a forged or replayed callback, or a sign-in left open too long). Start the sign-in again.
    /// </summary>
    InvalidAuthorizationState,

    /// <summary>A delegated sign-in completed as a user other than the email account's; nothing was stored. Sign in as the mailbox's user.</summary>
    WrongUserSignedIn,

    /// <summary>
    /// A service refused what the host asked of it rather than who asked: a record missing a required field or failing one of the
    /// service's validation rules, an unknown field, a malformed query (a Salesforce <c>REQUIRED_FIELD_MISSING</c>, <c>MALFORMED_QUERY</c>).
    /// Retrying the same request fails again; change the request.
    /// </summary>
    RequestRejected,

    /// <summary>
    /// The mail server refused for a limit, throttling or unavailability (Exchange Online's per-mailbox connection limit, Dovecot's
    /// <c>mail_max_userip_connections</c>, <c>Request is throttled</c>, SMTP 4xx). The token was not the cause and is kept; wait
    /// (<see cref="ModernAuthException.RetryAfter"/> when the server said how long) and hold fewer connections per mailbox.
    /// </summary>
    ServerBusy,

    /// <summary>
    /// The mail server refused the mailbox itself, not the token: it refused a freshly obtained token too, or accepted the token
    /// but gave its identity no access to the mailbox. Fix the mailbox's permission (<c>Add-MailboxPermission</c>) or the
    /// application's registration in Exchange Online; asking for more tokens cannot help.
    /// </summary>
    MailboxPermissionDenied,

    /// <summary>The access token had expired (its <c>exp</c> or <see cref="AccessToken.ExpiresOn"/>, against this machine's clock) before it was sent; nothing was sent.</summary>
    TokenExpired,

    /// <summary>The mail server could not be reached, or the TLS connection could not be set up: DNS, a refused or dropped connection, a proxy, a time-out, a plain-text port.</summary>
    NetworkError,

    /// <summary>
    /// A message's <c>From</c> or <c>Sender</c> does not fit what the account may send as: the SDK refused it before sending (nothing
    /// was sent), or Exchange Online refused it at submission (<c>554 5.2.252 SendAsDenied</c>). Send from the account's address,
    /// or grant Send As (<c>Add-RecipientPermission</c>) or Send on Behalf (<c>Set-Mailbox -GrantSendOnBehalfTo</c>).
    /// </summary>
    SendAsDenied,
}
