namespace XCally.ModernAuth;

/// <summary>How the connection to a mail server is protected.</summary>
public enum MailTlsMode
{
    /// <summary>TLS from the first byte (IMAPS 993, POP3S 995, SMTPS 465).</summary>
    Implicit = 0,

    /// <summary>A clear-text greeting upgraded with STARTTLS (SMTP submission 587) before anything is authenticated.</summary>
    StartTls = 1,

    /// <summary>No TLS. Bearer tokens are never sent over such a connection; only tests may opt in, and only on loopback.</summary>
    None = 2,
}
