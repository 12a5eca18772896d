using System.Diagnostics;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>The trace of one token acquisition, the same for app-only and delegated tokens: who asked, and how it ended.</summary>
internal static class AcquireTokenActivity
{
    public static Activity? Start(CloudProvider provider, bool forceRefresh)
    {
        var activity = ModernAuthTelemetry.ActivitySource.StartActivity(ModernAuthTelemetry.AcquireTokenActivityName, ActivityKind.Client);
        activity?.SetTag(ModernAuthTelemetry.ProviderTag, provider.Name);
        activity?.SetTag(ModernAuthTelemetry.TenantTag, provider.TenantId);
        activity?.SetTag(ModernAuthTelemetry.ClientIdTag, provider.ClientId);
        activity?.SetTag(ModernAuthTelemetry.ForceRefreshTag, forceRefresh);
        return activity;
    }

    public static void Failed(Activity? activity, ModernAuthException error)
    {
        activity?.SetTag(ModernAuthTelemetry.CategoryTag, CategoryNames.Of(error.Category));
        activity?.SetTag(ModernAuthTelemetry.ErrorCodeTag, error.ErrorCode);
        activity?.SetStatus(ActivityStatusCode.Error, error.ErrorCode);
    }

    public static void Succeeded(Activity? activity, AccessToken token)
    {
        activity?.SetTag(ModernAuthTelemetry.TokenSourceTag, token.Source == TokenSource.Cache ? "Cache" : "IdentityProvider");
        activity?.SetStatus(ActivityStatusCode.Ok);
    }
}
