namespace XCally.ModernAuth;

/// <summary>Names the SDK registers things under, for hosts that customise them.</summary>
public static class ModernAuthDefaults
{
    /// <summary>
    /// The name of the <see cref="System.Net.Http.HttpClient"/> (from <c>IHttpClientFactory</c>) that talks to the identity platform.
    /// Configure it with <c>services.AddHttpClient(ModernAuthDefaults.HttpClientName)</c> to add a proxy or handlers.
    /// </summary>
    public const string HttpClientName = "XCally.ModernAuth";

    /// <summary>The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string TelemetryName = "XCally.ModernAuth";
}
