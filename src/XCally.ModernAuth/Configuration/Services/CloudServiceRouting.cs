using Microsoft.Extensions.Configuration;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Decides, while binding, whether a <c>CloudProviders</c> entry is an Office 365 provider (no <c>Service</c>, or Microsoft Azure)
/// or belongs to another service, whose package binds it: such an entry is kept as a <see cref="CloudServiceEntry"/> and none of
/// the Office 365 settings (<c>TenantId</c>, <c>ClientId</c>, ...) are asked of it.
/// </summary>
internal static class CloudServiceRouting
{
    /// <returns>Whether the section was kept for another service's package, so the Office 365 binder must skip it.</returns>
    public static bool TryKeepForServicePackage(IConfigurationSection section, string name, ModernAuthOptions options)
    {
        var service = ConfigurationValueReader.String(section.GetSection("Service"));
        if (service is null || ConfigurationEnums.Service.TryParse(service, out _))
        {
            return false;
        }

        if (!options.ServiceProviders.TryGetValue(name, out var entry))
        {
            entry = new CloudServiceEntry(name, service);
            options.ServiceProviders[name] = entry;
        }

        entry.Service = service;
        entry.Sections.Add(section);
        entry.ConfigurationPath = section.Path;
        return true;
    }
}
