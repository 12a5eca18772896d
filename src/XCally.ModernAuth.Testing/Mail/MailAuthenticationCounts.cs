namespace XCally.ModernAuth.Testing;

/// <summary>How many authentications a mail server accepted and refused on one protocol.</summary>
/// <param name="Succeeded">Authentications that opened a mailbox.</param>
/// <param name="Failed">Authentications refused, including IMAP's "authenticated but not connected".</param>
public readonly record struct MailAuthenticationCounts(int Succeeded, int Failed);
