using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds a configuration section (the whole <c>XCallyModernAuth</c> section, or one provider's) each time the options are
/// built, so a reload re-reads it. Registered once per section, which makes registration idempotent.
/// </summary>
internal sealed class ConfigurationBinding(IConfiguration configuration, string? cloudProviderName, string? contentRoot = null) : IConfigureOptions<ModernAuthOptions>
{
    public IConfiguration Configuration { get; } = configuration;

    public void Configure(ModernAuthOptions options)
    {
        if (cloudProviderName is null)
        {
            ModernAuthOptionsBinder.Bind(Configuration, options, contentRoot);
        }
        else
        {
            ModernAuthOptionsBinder.BindCloudProvider((IConfigurationSection)Configuration, cloudProviderName, options);
        }
    }

    /// <summary>
    /// Whether this binds the same section. <c>GetSection</c> returns a new object on every call, so sections are compared by path.
    /// </summary>
    public bool Binds(IConfiguration other, string? otherCloudProviderName) =>
        string.Equals(cloudProviderName, otherCloudProviderName, StringComparison.OrdinalIgnoreCase)
        && (ReferenceEquals(Configuration, other)
            || (Configuration is IConfigurationSection section && other is IConfigurationSection otherSection
                && string.Equals(section.Path, otherSection.Path, StringComparison.OrdinalIgnoreCase)));
}
