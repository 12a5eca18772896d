namespace XCally.ModernAuth;

/// <summary>How an <see cref="EmailAccount"/>'s mail is sent and read through <see cref="IMailTransport"/>.</summary>
public enum MailTransport
{
    /// <summary>IMAP for reading and SMTP for sending (Exchange Online's mail protocols). The default.</summary>
    Imap = 0,

    /// <summary>Microsoft Graph for reading and sending; needs the <c>XCally.ModernAuth.Graph</c> package.</summary>
    Graph = 1,

    /// <summary>
    /// IMAP and SMTP, and Microsoft Graph for sending once SMTP answers <c>535 5.7.139</c> (SMTP AUTH disabled for the tenant
    /// or mailbox), remembered per account. Needs the <c>XCally.ModernAuth.Graph</c> package for the fallback.
    /// </summary>
    Auto = 2,
}
