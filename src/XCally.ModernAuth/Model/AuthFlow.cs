namespace XCally.ModernAuth;

/// <summary>How a <see cref="CloudProvider"/> obtains tokens for its mailboxes.</summary>
public enum AuthFlow
{
    /// <summary>OAuth 2.0 client credentials: the application itself is granted <c>IMAP.AccessAsApp</c>, <c>POP.AccessAsApp</c> and <c>SMTP.SendAsApp</c>.</summary>
    AppOnly = 0,

    /// <summary>A mailbox user signs in once (authorization code or device code); refresh tokens keep access going.</summary>
    Delegated = 1,
}
