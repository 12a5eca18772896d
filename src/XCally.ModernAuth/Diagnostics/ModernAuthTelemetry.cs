using System.Diagnostics;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// The package's <see cref="ActivitySource"/> and the names of its instruments and tags, all under
/// <see cref="ModernAuthDefaults.TelemetryName"/>. No tag ever carries a token, secret or assertion.
/// </summary>
internal static class ModernAuthTelemetry
{
    /// <summary>Spans around requests to the identity platform.</summary>
    public static readonly ActivitySource ActivitySource = new(ModernAuthDefaults.TelemetryName);

    public const string AcquireTokenActivityName = "XCally.ModernAuth.AcquireToken";

    public const string TokenRequestsInstrument = "xcally.modernauth.token.requests";
    public const string TokenRequestDurationInstrument = "xcally.modernauth.token.request.duration";
    public const string CacheHitsInstrument = "xcally.modernauth.token.cache_hits";
    public const string FailuresInstrument = "xcally.modernauth.token.failures";
    public const string BackgroundFailuresInstrument = "xcally.modernauth.token.background_failures";
    public const string TokenCacheFailuresInstrument = "xcally.modernauth.token_cache.failures";

    public const string ProviderTag = "xcally.modernauth.provider";

    /// <summary>The provider tag's value for work that concerns no single provider (a store sweep).</summary>
    public const string NoProvider = "(store)";
    public const string OutcomeTag = "xcally.modernauth.outcome";
    public const string CategoryTag = "xcally.modernauth.error.category";
    public const string OperationTag = "xcally.modernauth.token_cache.operation";
    public const string ErrorCodeTag = "xcally.modernauth.error.code";
    public const string TokenSourceTag = "xcally.modernauth.token.source";
    public const string ForceRefreshTag = "xcally.modernauth.force_refresh";
    public const string TenantTag = "xcally.modernauth.tenant";
    public const string ClientIdTag = "xcally.modernauth.client_id";

    /// <summary>The outcome tag value of a successful request.</summary>
    public const string SuccessOutcome = "success";
}
