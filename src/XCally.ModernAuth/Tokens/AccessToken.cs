namespace XCally.ModernAuth;

/// <summary>
/// An OAuth 2.0 access token for Exchange Online. <see cref="ToString"/> never shows the token itself.
/// </summary>
public sealed class AccessToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="token">The bearer token.</param>
    /// <param name="expiresOn">When the token expires.</param>
    /// <param name="scopes">The scopes it was granted for.</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="refreshOn">When it should be refreshed in the background, if the identity platform said so.</param>
    public AccessToken(string token, DateTimeOffset expiresOn, IReadOnlyList<string> scopes, TokenSource source, DateTimeOffset? refreshOn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(scopes);
        Token = token;
        ExpiresOn = expiresOn;
        Scopes = scopes;
        Source = source;
        RefreshOn = refreshOn;
    }

    /// <summary>The bearer token. Never log it.</summary>
    public string Token { get; }

    /// <summary>When the token expires.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>When the token should be refreshed, if known.</summary>
    public DateTimeOffset? RefreshOn { get; }

    /// <summary>The scopes the token was granted for.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>Where the token came from.</summary>
    public TokenSource Source { get; }

    /// <summary>The same token, marked as coming from <paramref name="source"/>.</summary>
    /// <param name="source">The new source.</param>
    /// <returns>A token with the same value and expiry.</returns>
    public AccessToken WithSource(TokenSource source) =>
        source == Source ? this : new AccessToken(Token, ExpiresOn, Scopes, source, RefreshOn);

    /// <inheritdoc />
    public override string ToString() => $"AccessToken (from {Source}, expires {ExpiresOn:O}, scopes {string.Join(' ', Scopes)})";
}
