using Microsoft.Extensions.Configuration;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Binds the <c>XCallyModernAuth</c> section by hand rather than with <c>ConfigurationBinder</c>, which stops at the first value it
/// cannot convert: every known key is read, every bad value is recorded in <see cref="ModernAuthOptions.BindingErrors"/> with
/// its path, and every unknown key in <see cref="ModernAuthOptions.UnknownKeys"/> (logged as a warning, not an error, so a
/// newer setting in a shared file does not stop an older host).
/// </summary>
internal static class ModernAuthOptionsBinder
{
    private static readonly Dictionary<string, Action<IConfigurationSection, CloudProviderOptions, ConfigurationValueReader>> CloudProviderKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Service"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.Service, out var v)) { o.Service = v; } },
            ["Type"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.ProviderType, out var v)) { o.Type = v; } },
            ["TenantId"] = (s, o, _) => o.TenantId = ConfigurationValueReader.String(s) ?? o.TenantId,
            ["ClientId"] = (s, o, _) => o.ClientId = ConfigurationValueReader.String(s) ?? o.ClientId,
            ["ClientSecret"] = (s, o, _) => o.ClientSecret = ConfigurationValueReader.String(s) ?? o.ClientSecret,
            ["SecretExpiresOn"] = (s, o, r) => { if (r.DateTimeOffset(s, out var v)) { o.SecretExpiresOn = v; } },
            ["Certificate"] = (s, o, r) => BindCertificate(s, o, r),
            ["Cloud"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.Cloud, out var v)) { o.Cloud = v; } },
            ["Flow"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.Flow, out var v)) { o.Flow = v; } },
            ["RedirectUri"] = (s, o, _) => o.RedirectUri = ConfigurationValueReader.String(s) ?? o.RedirectUri,
            ["Scopes"] = (s, o, _) => BindScopes(s, o),
            ["AuthorityHost"] = (s, o, _) => o.AuthorityHost = ConfigurationValueReader.String(s) ?? o.AuthorityHost,
            ["AllowNonMicrosoftAuthority"] = (s, o, r) => { if (r.Bool(s, out var v)) { o.AllowNonMicrosoftAuthority = v; } },
            ["GraphScopes"] = (s, o, _) => ReplaceList(o.GraphScopes, ConfigurationValueReader.List(s).ToList()),
        };

    private static readonly Dictionary<string, Action<IConfigurationSection, CertificateOptions, ConfigurationValueReader>> CertificateKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Path"] = (s, o, _) => o.Path = ConfigurationValueReader.String(s) ?? o.Path,
            ["Password"] = (s, o, _) => o.Password = ConfigurationValueReader.String(s) ?? o.Password,
            ["Base64"] = (s, o, _) => o.Base64 = ConfigurationValueReader.String(s) ?? o.Base64,
            ["Thumbprint"] = (s, o, _) => o.Thumbprint = ConfigurationValueReader.String(s) ?? o.Thumbprint,
            ["StoreLocation"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.StoreLocation, out var v)) { o.StoreLocation = v; } },
            ["StoreName"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.StoreName, out var v)) { o.StoreName = v; } },
            ["SendX5C"] = (s, o, r) => { if (r.Bool(s, out var v)) { o.SendX5C = v; } },
        };

    private static readonly Dictionary<string, Action<IConfigurationSection, EmailAccountOptions, ConfigurationValueReader>> EmailAccountKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Address"] = (s, o, _) => o.Address = ConfigurationValueReader.String(s) ?? o.Address,
            ["UserName"] = (s, o, _) => o.UserName = ConfigurationValueReader.String(s) ?? o.UserName,
            ["CloudProvider"] = (s, o, _) => o.CloudProvider = ConfigurationValueReader.String(s) ?? o.CloudProvider,
            ["Imap"] = (s, o, r) => BindEndpoint(s, o.Imap, r),
            ["Pop3"] = (s, o, r) => BindEndpoint(s, o.Pop3, r),
            ["Smtp"] = (s, o, r) => BindEndpoint(s, o.Smtp, r),
            ["Transport"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.Transport, out var v)) { o.Transport = v; } },
        };

    private static readonly Dictionary<string, Action<IConfigurationSection, MailEndpointOptions, ConfigurationValueReader>> EndpointKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Enabled"] = (s, o, r) => { if (r.Bool(s, out var v)) { o.Enabled = v; } },

            // An empty host is kept (not treated as unset) so that validation can say so rather than silently use the default.
            ["Host"] = (s, o, _) => o.Host = s.Value is null ? o.Host : s.Value.Trim(),
            ["Port"] = (s, o, r) => { if (r.Int(s, out var v)) { o.Port = v; } },
            ["TlsMode"] = (s, o, r) => { if (r.Enum(s, ConfigurationEnums.TlsMode, out var v)) { o.TlsMode = v; } },
        };

    /// <summary>Binds a whole section holding <c>CloudProviders</c> and <c>EmailAccounts</c> onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, ModernAuthOptions options, string? contentRoot = null)
    {
        options.ConfigurationPath = configuration is IConfigurationSection section ? section.Path : string.Empty;
        options.ContentRoot ??= contentRoot;
        if (!configuration.GetChildren().Any())
        {
            var path = options.ConfigurationPath.Length == 0 ? "the configuration root" : $"'{options.ConfigurationPath}'";
            options.BindingWarnings.Add(
                $"The configuration section {path} is missing or empty, so no cloud provider or email account is configured from it. Check "
                + $"its name ({ModernAuthOptions.SectionName}) in appsettings.json, or in environment variables "
                + $"({ModernAuthOptions.SectionName}__CloudProviders__<name>__ClientId), and that the file is copied to the output folder.");
        }

        var reader = new ConfigurationValueReader(options);
        foreach (var child in configuration.GetChildren())
        {
            if (string.Equals(child.Key, "CloudProviders", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var provider in child.GetChildren())
                {
                    BindCloudProvider(provider, provider.Key, options, reader);
                }
            }
            else if (string.Equals(child.Key, "EmailAccounts", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var account in child.GetChildren())
                {
                    BindEmailAccount(account, options, reader);
                }
            }
            else if (!string.Equals(child.Key, TokenProviderSectionName, StringComparison.OrdinalIgnoreCase))
            {
                reader.Unknown(child);
            }
        }
    }

    /// <summary>The sub-section bound onto <see cref="TokenProviderOptions"/> (by the standard binder, not onto these options).</summary>
    public const string TokenProviderSectionName = "TokenProvider";

    /// <summary>Binds one provider's section onto the provider of that name, creating it if needed.</summary>
    public static void BindCloudProvider(IConfigurationSection section, string name, ModernAuthOptions options) =>
        BindCloudProvider(section, name, options, new ConfigurationValueReader(options));

    private static void BindCloudProvider(IConfigurationSection section, string name, ModernAuthOptions options, ConfigurationValueReader reader)
    {
        if (CloudServiceRouting.TryKeepForServicePackage(section, name, options))
        {
            return;
        }

        if (!options.CloudProviders.TryGetValue(name, out var provider))
        {
            provider = new CloudProviderOptions();
            options.CloudProviders[name] = provider;
        }

        provider.ConfigurationPath = section.Path;
        BindKeys(section, provider, CloudProviderKeys, reader);
    }

    private static void BindEmailAccount(IConfigurationSection section, ModernAuthOptions options, ConfigurationValueReader reader)
    {
        // EmailAccounts is an array; an object keyed by address is accepted too, the key then being the address.
        var keyedByAddress = !int.TryParse(section.Key, out _);
        var address = ConfigurationValueReader.String(section.GetSection("Address")) ?? (keyedByAddress ? section.Key : null);

        // An account the host already added in code with the same address is completed rather than duplicated. Two entries of the
        // configuration with one address are both kept, so that validation reports them (with both paths) instead of one
        // silently replacing the other.
        var account = address is null
            ? null
            : options.EmailAccounts.FirstOrDefault(a => a.ConfigurationPath is null && string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase));
        if (account is null)
        {
            account = new EmailAccountOptions { Address = address };
            options.EmailAccounts.Add(account);
        }

        account.ConfigurationPath = section.Path;
        BindKeys(section, account, EmailAccountKeys, reader);
    }

    private static void BindCertificate(IConfigurationSection section, CloudProviderOptions provider, ConfigurationValueReader reader)
    {
        if (!section.GetChildren().Any())
        {
            return;
        }

        provider.Certificate ??= new CertificateOptions();
        BindKeys(section, provider.Certificate, CertificateKeys, reader);
    }

    private static void BindScopes(IConfigurationSection section, CloudProviderOptions provider)
    {
        var scopes = ConfigurationValueReader.List(section).ToList();
        if (scopes.Count == 0)
        {
            return;
        }

        // Configuration replaces scopes rather than appending, as a later source overrides an earlier one.
        provider.Scopes.Clear();
        foreach (var scope in scopes)
        {
            provider.Scopes.Add(scope);
        }
    }

    // Configuration replaces a list rather than appending, as a later source overrides an earlier one.
    private static void ReplaceList(IList<string> target, List<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        target.Clear();
        foreach (var value in values)
        {
            target.Add(value);
        }
    }

    private static void BindEndpoint(IConfigurationSection section, MailEndpointOptions endpoint, ConfigurationValueReader reader) =>
        BindKeys(section, endpoint, EndpointKeys, reader);

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
