using Microsoft.Extensions.Configuration;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// An entry of <c>CloudProviders</c> whose <c>Service</c> is not Microsoft Azure (Salesforce, later others). The core neither binds
/// nor models it: it keeps the entry's configuration sections, and the code that configures it, for the package of that service,
/// which binds, validates and models it (see <see cref="CloudServiceRegistration"/>).
/// </summary>
internal sealed class CloudServiceEntry(string name, string service)
{
    /// <summary>The provider's name, the key under <c>CloudProviders</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The service as configured, e.g. <c>Salesforce</c>.</summary>
    public string Service { get; set; } = service;

    /// <summary>The sections bound to this entry, in binding order: a later one overrides an earlier one.</summary>
    public List<IConfigurationSection> Sections { get; } = [];

    /// <summary>
    /// Code that configures the service's own options object (added by the service package's builder extensions), applied after
    /// <see cref="Sections"/> in registration order, so code completes or overrides configuration as it does for Office 365 providers.
    /// </summary>
    public List<Action<object>> CodeConfiguration { get; } = [];

    /// <summary>The path of the last section bound, for messages; <see langword="null"/> for a provider added in code only.</summary>
    public string? ConfigurationPath { get; set; }
}
