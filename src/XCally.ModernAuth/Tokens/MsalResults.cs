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
        var scopes = Granted(result.Scopes, requestedScopes);
        return new AccessToken(result.AccessToken, expiresOn, scopes, source, refreshOn);
    }

    // The granted scopes, sharing the provider's own strings where they match: thousands of accounts' tokens then hold one
    // list of scope strings per provider instead of a copy each.
    private static IReadOnlyList<string> Granted(IEnumerable<string>? granted, IReadOnlyList<string> requested)
    {
        var scopes = granted?.ToArray();
        if (scopes is not { Length: > 0 })
        {
            return requested;
        }

        var allRequested = scopes.Length == requested.Count;
        for (var i = 0; i < scopes.Length; i++)
        {
            var match = requested.FirstOrDefault(scope => string.Equals(scope, scopes[i], StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                allRequested = false;
            }
            else
            {
                scopes[i] = match;
            }
        }

        return allRequested ? requested : scopes;
    }
}
