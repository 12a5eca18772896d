namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>What Exchange Online decides about a token presented for a mailbox.</summary>
internal enum MailAuthOutcome
{
    /// <summary>The identity may open the mailbox.</summary>
    Succeeded,

    /// <summary>The token or SASL response is not acceptable, or the mailbox is unknown.</summary>
    Failed,

    /// <summary>The token is valid but its identity has no access to the mailbox (IMAP answers OK, then refuses every command).</summary>
    NotConnected,

    /// <summary>SMTP AUTH is disabled for the mailbox.</summary>
    SmtpAuthDisabled,

    /// <summary>The token is valid, but the mailbox already has <see cref="EmulatorMailServerOptions.MaxSessionsPerMailbox"/> sessions.</summary>
    ConnectionLimit,
}

/// <summary>The decision, the mailbox, and who the caller is.</summary>
/// <param name="Outcome">The decision.</param>
/// <param name="Mailbox">The mailbox named in the SASL response, when it exists.</param>
/// <param name="ClientId">The token's application id.</param>
/// <param name="UserPrincipalName">The signed-in user for a delegated token; <see langword="null"/> for app-only.</param>
/// <param name="Reason">Why it was refused, for the log; never contains the token.</param>
internal sealed record MailAuthResult(MailAuthOutcome Outcome, EmulatorMailbox? Mailbox, string? ClientId, string? UserPrincipalName, string Reason)
{
    public bool IsAppOnly => UserPrincipalName is null;

    public static MailAuthResult Fail(string reason) => new(MailAuthOutcome.Failed, null, null, null, reason);
}
