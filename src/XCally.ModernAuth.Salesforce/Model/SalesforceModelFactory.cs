using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>Turns options into validated <see cref="SalesforceProvider"/> instances, throwing one exception that lists every problem.</summary>
internal static class SalesforceModelFactory
{
    public static SalesforceProvider Create(string name, SalesforceProviderOptions options, string path, DateTimeOffset now)
    {
        var problems = new ValidationProblems();
        var certificate = SalesforceProviderOptionsValidator.Validate(path, options, now, problems);
        if (problems.Count > 0)
        {
            certificate?.Dispose();
            throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"The Salesforce provider '{name}' is not valid: {problems}")
            {
                CloudProviderName = name,
            };
        }

        return new SalesforceProvider(name, options, certificate);
    }

    /// <summary>Whether a reload left a provider as it was, so that it keeps its instance and with it its session.</summary>
    public static bool HaveSameSettings(SalesforceProvider current, SalesforceProvider candidate) =>
        string.Equals(current.Name, candidate.Name, StringComparison.Ordinal)
        && current.Type == candidate.Type
        && current.Flow == candidate.Flow
        && current.LoginUrl == candidate.LoginUrl
        && string.Equals(current.ConsumerKey, candidate.ConsumerKey, StringComparison.Ordinal)
        && string.Equals(current.Username, candidate.Username, StringComparison.Ordinal)
        && current.SessionTimeout == candidate.SessionTimeout
        && string.Equals(current.ApiVersion, candidate.ApiVersion, StringComparison.Ordinal)
        && current.AllowNonSalesforceHost == candidate.AllowNonSalesforceHost
        && string.Equals(current.ConsumerSecret, candidate.ConsumerSecret, StringComparison.Ordinal)
        && string.Equals(current.Password, candidate.Password, StringComparison.Ordinal)
        && string.Equals(current.Certificate?.Thumbprint, candidate.Certificate?.Thumbprint, StringComparison.Ordinal);
}
