using XCally.ModernAuth.Samples.Web.Data;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

/// <summary>Names and links shared by the provider pages.</summary>
public static class ProviderLinks
{
    public static string ServiceName(ProviderService service) => service == ProviderService.Salesforce ? "Salesforce" : "Microsoft Azure";

    public static string EditUrl(int id, ProviderService service) =>
        service == ProviderService.Salesforce ? $"/providers/salesforce/{id}" : $"/providers/edit/{id}";

    /// <summary>How a write-only secret is shown: whether it is set and when it expires, never its value.</summary>
    /// <param name="setOn">When it was set, or <see langword="null"/> when it is not.</param>
    /// <param name="expiresOn">When it expires, as entered.</param>
    /// <param name="expires">Whether such a secret expires at all (an Entra client secret does, a Salesforce Consumer Secret does not).</param>
    public static string SecretState(DateTimeOffset? setOn, DateTimeOffset? expiresOn, bool expires = true) => setOn is null
        ? "not set"
        : expiresOn is { } expiry
            ? $"set on {setOn.Value.ToLocalTime():yyyy-MM-dd}, expires on {expiry.ToLocalTime():yyyy-MM-dd}"
            : expires
                ? $"set on {setOn.Value.ToLocalTime():yyyy-MM-dd}, expiry not entered"
                : $"set on {setOn.Value.ToLocalTime():yyyy-MM-dd}";
}
