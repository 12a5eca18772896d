namespace XCally.ModernAuth;

/// <summary>
/// The API a token is for. A token is issued for one audience and is refused by the others, so the SDK keeps one cached token
/// per resource and never hands a token of one resource out for another.
/// </summary>
public enum TokenResource
{
    /// <summary>Exchange Online's IMAP, POP3 and SMTP (the <c>outlook.office365.com</c> / <c>outlook.office.com</c> audience).</summary>
    ExchangeOnline,

    /// <summary>Microsoft Graph (the <c>graph.microsoft.com</c> audience, or the national cloud's Graph host).</summary>
    MicrosoftGraph,
}
