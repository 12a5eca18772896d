using System.Diagnostics;
using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace XCally.ModernAuth.Internal;

/// <summary>App-only tokens (OAuth 2.0 client credentials) of one cloud provider from its MSAL confidential client.</summary>
internal sealed class ConfidentialClientTokenAcquirer(
    CloudProvider provider,
    IConfidentialClientApplication application,
    TimeProvider timeProvider,
    TokenMetrics metrics) : ITokenAcquirer
{
    public string ProviderName => provider.Name;

    public async Task<AccessToken> AcquireAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        using var activity = ModernAuthTelemetry.ActivitySource.StartActivity(ModernAuthTelemetry.AcquireTokenActivityName, ActivityKind.Client);
        activity?.SetTag(ModernAuthTelemetry.ProviderTag, provider.Name);
        activity?.SetTag(ModernAuthTelemetry.TenantTag, provider.TenantId);
        activity?.SetTag(ModernAuthTelemetry.ClientIdTag, provider.ClientId);
        activity?.SetTag(ModernAuthTelemetry.ForceRefreshTag, forceRefresh);

        var started = timeProvider.GetTimestamp();
        AuthenticationResult result;
        try
        {
            result = await application.AcquireTokenForClient(provider.Scopes)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = IdentityErrorTranslator.Translate(exception, provider, timeProvider);

            // MSAL's own throttling answers without a request; everything else reached (or tried to reach) the endpoint.
            if (exception is not MsalThrottledServiceException)
            {
                metrics.Request(provider.Name, CategoryNames.Of(error.Category), timeProvider.GetElapsedTime(started));
            }

            activity?.SetTag(ModernAuthTelemetry.CategoryTag, CategoryNames.Of(error.Category));
            activity?.SetTag(ModernAuthTelemetry.ErrorCodeTag, error.ErrorCode);
            activity?.SetStatus(ActivityStatusCode.Error, error.ErrorCode);
            throw error;
        }

        var fromIdentityProvider = result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache;
        if (fromIdentityProvider)
        {
            metrics.Request(provider.Name, ModernAuthTelemetry.SuccessOutcome, timeProvider.GetElapsedTime(started));
        }

        var source = fromIdentityProvider ? TokenSource.IdentityProvider : TokenSource.Cache;
        activity?.SetTag(ModernAuthTelemetry.TokenSourceTag, source == TokenSource.Cache ? "Cache" : "IdentityProvider");
        activity?.SetStatus(ActivityStatusCode.Ok);

        // MSAL stamps ExpiresOn and RefreshOn with the system clock; keep the remaining time but anchor it on our TimeProvider,
        // which drives the cache and refresh timers (and which tests move by hand).
        var systemNow = DateTimeOffset.UtcNow;
        var now = timeProvider.GetUtcNow();
        var expiresOn = now + (result.ExpiresOn - systemNow);
        DateTimeOffset? refreshOn = result.AuthenticationResultMetadata?.RefreshOn is { } refresh ? now + (refresh - systemNow) : null;
        var scopes = result.Scopes?.ToArray() is { Length: > 0 } granted ? granted : provider.Scopes;
        return new AccessToken(result.AccessToken, expiresOn, scopes, source, refreshOn);
    }
}
