namespace XCally.ModernAuth.Internal;

/// <summary>
/// One known refusal of a mail server, recognised by a fragment of its response text, with the category and the fix.
/// Advice may contain the placeholders <c>{mailbox}</c>, <c>{clientId}</c>, <c>{appPermission}</c> and <c>{userPermission}</c>.
/// </summary>
/// <param name="Protocol">The protocol whose server sends this response.</param>
/// <param name="ResponseFragment">Text the server's response contains (case-insensitive).</param>
/// <param name="Category">The category the connector throws.</param>
/// <param name="Kind">What the refusal is about; only <see cref="MailRefusalKind.Token"/> is retried with a fresh token.</param>
/// <param name="Summary">What the response means.</param>
/// <param name="AppOnlyAdvice">The fix when the account's provider uses app-only tokens.</param>
/// <param name="DelegatedAdvice">The fix when the account's provider uses delegated tokens.</param>
internal sealed record MailServerFailure(
    MailProtocol Protocol,
    string ResponseFragment,
    ModernAuthErrorCategory Category,
    MailRefusalKind Kind,
    string Summary,
    string AppOnlyAdvice,
    string DelegatedAdvice)
{
    /// <summary>Whether a fresh token may help: only a refused token is retried, never a limit, a permission or a disabled protocol.</summary>
    public bool RetryWithFreshToken => Kind == MailRefusalKind.Token;

    /// <summary>Whether a server response is this failure.</summary>
    /// <param name="protocol">The protocol of the response.</param>
    /// <param name="response">The server's response text.</param>
    /// <returns><see langword="true"/> when the protocol matches and the response contains <see cref="ResponseFragment"/>.</returns>
    public bool Matches(MailProtocol protocol, string response) =>
        protocol == Protocol && response.Contains(ResponseFragment, StringComparison.OrdinalIgnoreCase);
}
