using Microsoft.Kiota.Abstractions.Authentication;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>
/// The Graph SDK's token source for one account: the SDK's own <see cref="ITokenProvider"/> with <see cref="TokenResource.MicrosoftGraph"/>,
/// so Graph calls share its fast path, single flight and background refresh, and never get an Exchange Online token. Tokens go
/// only to the configured Graph host over HTTPS.
/// </summary>
internal sealed class GraphAccessTokenProvider(ITokenProvider tokens, EmailAccount account, Uri baseUrl) : IAccessTokenProvider
{
    private volatile AccessToken? _last;

    public AllowedHostsValidator AllowedHostsValidator { get; } = new([baseUrl.Host]);

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme != Uri.UriSchemeHttps || !AllowedHostsValidator.IsUrlHostValid(uri) || uri.Port != baseUrl.Port)
        {
            // An upload URL or another host: no bearer token (Graph's upload URLs carry their own authorization).
            return string.Empty;
        }

        var token = await tokens.GetAccessTokenAsync(account, TokenResource.MicrosoftGraph, cancellationToken).ConfigureAwait(false);
        _last = token;
        return token.Token;
    }

    /// <summary>Drops the token Graph refused with 401, so that the next request gets a fresh one.</summary>
    public ValueTask InvalidateLastAsync(CancellationToken cancellationToken) =>
        _last is { } refused ? tokens.InvalidateAsync(account, TokenResource.MicrosoftGraph, refused, cancellationToken) : ValueTask.CompletedTask;
}
