using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

/// <summary>Names and links shared by the provider pages.</summary>
public static class ProviderLinks
{
    public static string ServiceName(ProviderService service) => service == ProviderService.Salesforce ? "Salesforce" : "Microsoft Azure";

    public static string EditUrl(int id, ProviderService service) =>
        service == ProviderService.Salesforce ? $"/providers/salesforce/{id}" : $"/providers/edit/{id}";

    /// <summary>How a write-only secret is shown: whether it is set and when it expires, never its value.</summary>
    public static string SecretState(DateTimeOffset? setOn, DateTimeOffset? expiresOn) => setOn is null
        ? "not set"
        : expiresOn is { } expiry
            ? $"set on {setOn.Value.ToLocalTime():yyyy-MM-dd}, expires on {expiry.ToLocalTime():yyyy-MM-dd}"
            : $"set on {setOn.Value.ToLocalTime():yyyy-MM-dd}, expiry not entered";
}
