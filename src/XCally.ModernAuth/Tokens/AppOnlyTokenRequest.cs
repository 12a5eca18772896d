using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// One app-only token request through MSAL, whichever client sends it (a confidential client's client credentials, a managed
/// identity): bounded in time, traced, counted when it reached the identity platform, and failures translated.
/// </summary>
internal static class AppOnlyTokenRequest
{
    public static async Task<AccessToken> RunAsync(
        CloudProvider provider,
        AccessToken? replacing,
        Func<bool, CancellationToken, Task<AuthenticationResult>> acquire,
        IReadOnlyList<string> scopes,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var forceRefresh = replacing is not null;
        using var activity = AcquireTokenActivity.Start(provider, forceRefresh);

        var started = timeProvider.GetTimestamp();
        AuthenticationResult result;
        try
        {
            result = await IdentityCall.RunAsync(provider, timeout, bounded => acquire(forceRefresh, bounded), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = IdentityErrorTranslator.Translate(exception, provider, timeProvider);

            // MSAL's own throttling answers without a request; everything else reached (or tried to reach) the endpoint.
            if (exception is not MsalThrottledServiceException)
            {
                metrics.Request(provider.Name, CategoryNames.Of(error.Category), timeProvider.GetElapsedTime(started));
            }

            AcquireTokenActivity.Failed(activity, error);
            throw error;
        }

        if (result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache)
        {
            metrics.Request(provider.Name, ModernAuthTelemetry.SuccessOutcome, timeProvider.GetElapsedTime(started));
        }

        var token = MsalResults.ToAccessToken(result, timeProvider, scopes);
        AcquireTokenActivity.Succeeded(activity, token);
        return token;
    }
}
