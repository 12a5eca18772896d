namespace XCally.ModernAuth.Internal;

/// <summary>
/// What a mail server's refusal is about, which decides what the SDK does next. Only <see cref="Token"/> may be helped by a
/// fresh token; the others are reported without asking the identity platform for anything.
/// </summary>
internal enum MailRefusalKind
{
    /// <summary>The server refused the access token (or said nothing more specific): one retry with a fresh token may help.</summary>
    Token = 0,

    /// <summary>A limit, throttling or unavailability: the token is kept, the caller waits and holds fewer connections.</summary>
    ServerBusy,

    /// <summary>The token's identity has no access to the mailbox: a permission of that mailbox must change.</summary>
    Permission,

    /// <summary>The protocol is switched off for the tenant or the mailbox.</summary>
    ProtocolDisabled,
}
