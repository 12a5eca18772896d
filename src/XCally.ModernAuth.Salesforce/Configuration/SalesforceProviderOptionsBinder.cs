using System.Globalization;
using Microsoft.Extensions.Configuration;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// Builds the <see cref="SalesforceProviderOptions"/> of a <c>Service: Salesforce</c> entry the way the core binds Office 365
/// providers: every known key read, every bad value recorded with its path, every unknown key recorded; then the code that
/// configures the provider applied, so code completes or overrides configuration.
/// </summary>
internal static class SalesforceProviderOptionsBinder
{
    private static readonly Dictionary<string, Action<IConfigurationSection, SalesforceProviderOptions, ConfigurationValueReader>> Keys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Service"] = (_, _, _) => { },
            ["Type"] = (s, o, r) => { if (r.Enum(s, SalesforceProviderOptionsValidator.AppTypes, out var v)) { o.Type = v; } },
            ["Flow"] = (s, o, r) => { if (r.Enum(s, SalesforceProviderOptionsValidator.Flows, out var v)) { o.Flow = v; } },
            ["LoginUrl"] = (s, o, _) => o.LoginUrl = ConfigurationValueReader.String(s) ?? o.LoginUrl,
            ["ConsumerKey"] = (s, o, _) => o.ConsumerKey = ConfigurationValueReader.String(s) ?? o.ConsumerKey,
            ["ConsumerSecret"] = (s, o, _) => o.ConsumerSecret = ConfigurationValueReader.String(s) ?? o.ConsumerSecret,
            ["Certificate"] = BindCertificate,
            ["Username"] = (s, o, _) => o.Username = ConfigurationValueReader.String(s) ?? o.Username,
            ["Password"] = (s, o, _) => o.Password = s.Value is { Length: > 0 } value ? value : o.Password,
            ["SecurityToken"] = (s, o, _) => o.SecurityToken = ConfigurationValueReader.String(s) ?? o.SecurityToken,
            ["AllowUsernamePasswordFlow"] = (s, o, r) => { if (r.Bool(s, out var v)) { o.AllowUsernamePasswordFlow = v; } },
            ["SessionTimeout"] = (s, o, r) => { if (TimeSpanValue(s, r, out var v)) { o.SessionTimeout = v; } },
            ["ApiVersion"] = (s, o, _) => o.ApiVersion = ConfigurationValueReader.String(s) ?? o.ApiVersion,
            ["AllowNonSalesforceHost"] = (s, o, r) => { if (r.Bool(s, out var v)) { o.AllowNonSalesforceHost = v; } },
        };

    private static readonly Dictionary<string, Action<IConfigurationSection, CertificateOptions, ConfigurationValueReader>> CertificateKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Path"] = (s, o, _) => o.Path = ConfigurationValueReader.String(s) ?? o.Path,
            ["Password"] = (s, o, _) => o.Password = s.Value is { Length: > 0 } value ? value : o.Password,
            ["Base64"] = (s, o, _) => o.Base64 = ConfigurationValueReader.String(s) ?? o.Base64,
            ["Thumbprint"] = (s, o, _) => o.Thumbprint = ConfigurationValueReader.String(s) ?? o.Thumbprint,
            ["StoreLocation"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.StoreLocation, out var v)) { o.StoreLocation = v; } },
            ["StoreName"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.StoreName, out var v)) { o.StoreName = v; } },
        };

    /// <summary>Binds an entry's sections and code; conversion errors and unknown keys go to <paramref name="report"/>.</summary>
    public static SalesforceProviderOptions Bind(CloudServiceEntry entry, ModernAuthOptions report)
    {
        var options = new SalesforceProviderOptions();
        var reader = new ConfigurationValueReader(report);
        foreach (var section in entry.Sections)
        {
            options.ConfigurationPath = section.Path;
            BindKeys(section, options, Keys, reader);
        }

        foreach (var configure in entry.CodeConfiguration)
        {
            configure(options);
        }

        return options;
    }

    private static void BindCertificate(IConfigurationSection section, SalesforceProviderOptions options, ConfigurationValueReader reader)
    {
        if (!section.GetChildren().Any())
        {
            return;
        }

        options.Certificate ??= new CertificateOptions();
        BindKeys(section, options.Certificate, CertificateKeys, reader);
    }

    private static bool TimeSpanValue(IConfigurationSection section, ConfigurationValueReader reader, out TimeSpan value)
    {
        value = default;
        if (ConfigurationValueReader.String(section) is not { } text)
        {
            return false;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        reader.Error(section, $"'{text}' is not a duration; use hh:mm:ss, e.g. 02:00:00 for two hours");
        return false;
    }

    private static void BindKeys<T>(
        IConfigurationSection section,
        T target,
        Dictionary<string, Action<IConfigurationSection, T, ConfigurationValueReader>> keys,
        ConfigurationValueReader reader)
    {
        foreach (var child in section.GetChildren())
        {
            if (keys.TryGetValue(child.Key, out var bind))
            {
                bind(child, target, reader);
            }
            else
            {
                reader.Unknown(child);
            }
        }
    }
}
