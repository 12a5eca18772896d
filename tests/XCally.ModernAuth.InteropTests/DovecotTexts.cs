namespace XCally.ModernAuth.InteropTests;

/// <summary>What Dovecot 2.3 and Postfix answer and log when they refuse a token, as MailKit surfaces it.</summary>
internal static class DovecotTexts
{
    /// <summary>The text of IMAP's <c>NO [AUTHENTICATIONFAILED]</c> (MailKit's exception message).</summary>
    public const string AuthenticationFailed = "Authentication failed.";

    /// <summary>Dovecot's IMAP refusal as the server sent it (untagged), which the SDK's connector reports.</summary>
    public const string ImapAuthenticationFailed = "NO [AUTHENTICATIONFAILED] Authentication failed.";

    /// <summary>What MailKit's POP3 client reports when Dovecot refuses a token (it does not answer the SASL error challenge).</summary>
    /// <summary>
    /// Dovecot's POP3 refusal as the SDK's connector reports it: the SASL error challenge it sends before its <c>-ERR</c>, decoded
    /// (MailKit does not answer the challenge, so the <c>-ERR</c> is never read).
    /// </summary>
    public const string Pop3AuthenticationFailed = "+ {\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}";

    public const string Pop3AuthenticationRefused = "POP3 server did not respond with a +OK response to the AUTH command.";

    /// <summary>Postfix's SMTP refusal as the server sent it.</summary>
    public const string SmtpAuthenticationFailed = "535 5.7.8 Error: authentication failed: (reason unavailable)";

    /// <summary>The passdb's log reason for an expired token.</summary>
    public const string ExpiredTokenReason = "Local validation failed: Token has expired";

    /// <summary>The passdb's log reason for a key it does not have.</summary>
    /// <param name="keyId">The token's <c>kid</c>.</param>
    /// <returns>The logged text.</returns>
    public static string UnknownKeyReason(string keyId) => $"Local validation failed: RS256 key '{keyId}' not found";

    /// <summary>The passdb's log reason for a token naming another user.</summary>
    /// <param name="loginName">The login name.</param>
    /// <param name="tokenUser">The token's <c>upn</c>.</param>
    /// <returns>The logged text.</returns>
    public static string WrongUserReason(string loginName, string tokenUser) =>
        $"Local validation failed: Username '{loginName}' did not match '{tokenUser}'";
}
