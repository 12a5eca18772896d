using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>App-only tokens (OAuth 2.0 client credentials) of one cloud provider from its MSAL confidential client.</summary>
internal sealed class ConfidentialClientTokenAcquirer(
    CloudProvider provider,
    IConfidentialClientApplication application,
    IReadOnlyList<string> scopes,
    TimeProvider timeProvider,
    TokenMetrics metrics,
    TimeSpan timeout) : ITokenAcquirer
{
    public string ProviderName => provider.Name;

    public async Task<AccessToken> AcquireAsync(AccessToken? replacing, CancellationToken cancellationToken)
    {
        var forceRefresh = replacing is not null;
        using var activity = AcquireTokenActivity.Start(provider, forceRefresh);

        var started = timeProvider.GetTimestamp();
        AuthenticationResult result;
        try
        {
            result = await IdentityCall.RunAsync(
                provider,
                timeout,
                bounded => application.AcquireTokenForClient(scopes).WithForceRefresh(forceRefresh).ExecuteAsync(bounded),
                cancellationToken).ConfigureAwait(false);
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
