namespace XCally.ModernAuth.Internal;

/// <summary>
/// Registered in DI by a service package (for example <c>AddSalesforce()</c>) to claim the <c>CloudProviders</c> entries of its
/// service. Entries no registration claims are refused at start by <see cref="CloudServicesValidator"/>; a claimed entry is
/// bound, validated (an <c>IValidateOptions&lt;ModernAuthOptions&gt;</c> of the package) and modelled by the package itself.
/// </summary>
internal sealed class CloudServiceRegistration
{
    private readonly string[] _names;

    /// <param name="serviceName">The service's name in configuration, e.g. <c>Salesforce</c>.</param>
    /// <param name="aliases">Other names configuration may use.</param>
    public CloudServiceRegistration(string serviceName, params string[] aliases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ServiceName = serviceName;
        _names = [Normalize(serviceName), .. aliases.Select(Normalize)];
    }

    /// <summary>The service's name in configuration.</summary>
    public string ServiceName { get; }

    /// <summary>Whether a configured <c>Service</c> value names this service (ignoring case, spaces, hyphens and underscores).</summary>
    public bool Claims(string configuredService) => _names.Contains(Normalize(configuredService), StringComparer.OrdinalIgnoreCase);

    /// <summary>The entries of <paramref name="options"/> this registration claims.</summary>
    public IEnumerable<CloudServiceEntry> EntriesOf(ModernAuthOptions options) =>
        options.ServiceProviders.Values.Where(entry => Claims(entry.Service));

    internal static string Normalize(string text) =>
        text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal)
            .Replace("_", string.Empty, StringComparison.Ordinal)
            .Trim();
}
