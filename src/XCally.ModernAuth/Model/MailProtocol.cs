namespace XCally.ModernAuth;

/// <summary>A mail protocol an <see cref="EmailAccount"/> is used with.</summary>
public enum MailProtocol
{
    /// <summary>IMAP4rev1, for reading mail.</summary>
    Imap = 0,

    /// <summary>POP3, for reading mail.</summary>
    Pop3 = 1,

    /// <summary>SMTP submission, for sending mail.</summary>
    Smtp = 2,
}
