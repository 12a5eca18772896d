using Microsoft.Identity.Client;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>Turns MSAL's <see cref="AuthenticationResult"/> into the SDK's <see cref="AccessToken"/>.</summary>
internal static class MsalResults
{
    public static AccessToken ToAccessToken(AuthenticationResult result, TimeProvider timeProvider, IReadOnlyList<string> requestedScopes)
    {
        var fromIdentityProvider = result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache;
        var source = fromIdentityProvider ? TokenSource.IdentityProvider : TokenSource.Cache;

        // MSAL stamps ExpiresOn and RefreshOn with the system clock; keep the remaining time but anchor it on our TimeProvider,
        // which drives the cache and refresh timers (and which tests move by hand).
        var systemNow = DateTimeOffset.UtcNow;
        var now = timeProvider.GetUtcNow();
        var expiresOn = now + (result.ExpiresOn - systemNow);
        DateTimeOffset? refreshOn = result.AuthenticationResultMetadata?.RefreshOn is { } refresh ? now + (refresh - systemNow) : null;
        var scopes = result.Scopes?.ToArray() is { Length: > 0 } granted ? granted : requestedScopes;
        return new AccessToken(result.AccessToken, expiresOn, scopes, source, refreshOn);
    }
}
