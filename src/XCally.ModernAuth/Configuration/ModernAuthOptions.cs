using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth;

/// <summary>
/// The <c>XCallyModernAuth</c> configuration section: cloud providers keyed by name, and the email accounts associated with them.
/// </summary>
public sealed class ModernAuthOptions
{
    /// <summary>The configuration section the options are usually bound from.</summary>
    public const string SectionName = "XCallyModernAuth";

    /// <summary>Cloud providers keyed by their name (case-insensitive).</summary>
    public IDictionary<string, CloudProviderOptions> CloudProviders { get; } =
        new Dictionary<string, CloudProviderOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Email accounts, each associated with one cloud provider by name.</summary>
    public IList<EmailAccountOptions> EmailAccounts { get; } = new List<EmailAccountOptions>();

    /// <summary>
    /// <c>CloudProviders</c> entries of services other than Microsoft Azure (<c>Service: Salesforce</c>), keyed by name
    /// (case-insensitive), kept for the package of that service to bind and validate.
    /// </summary>
    internal Dictionary<string, CloudServiceEntry> ServiceProviders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The folder relative paths (a certificate's <c>Path</c>) are resolved against. Bound from the configuration's
    /// <c>contentRoot</c> key, which the .NET host sets to its content root, when <c>AddXCallyModernAuth</c> is given the
    /// configuration root; <see langword="null"/> (otherwise) means the current directory.
    /// </summary>
    public string? ContentRoot { get; set; }

    /// <summary>Problems found while binding from configuration (values that could not be converted), reported by validation with the rest.</summary>
    internal List<string> BindingErrors { get; } = [];

    /// <summary>Configuration keys the binder did not recognise (full paths), logged as warnings.</summary>
    internal List<string> UnknownKeys { get; } = [];

    /// <summary>What binding found suspicious but not invalid (a missing or empty section), logged as warnings at start.</summary>
    internal List<string> BindingWarnings { get; } = [];

    /// <summary>
    /// The configuration path the options were bound from, which prefixes every validation message;
    /// <see langword="null"/> means <see cref="SectionName"/>, empty means the configuration root.
    /// </summary>
    internal string? ConfigurationPath { get; set; }
}
