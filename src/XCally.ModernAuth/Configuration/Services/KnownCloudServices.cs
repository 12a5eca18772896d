namespace XCally.ModernAuth.Internal;

/// <summary>
/// The services beyond Microsoft Azure that have a package of their own, so that an entry of a service whose package is not
/// registered is refused with the package and the call that registers it. A new service adds one line here.
/// </summary>
internal static class KnownCloudServices
{
    public static readonly IReadOnlyList<(string Service, string Package, string Registration)> All =
    [
        ("Salesforce", "XCally.ModernAuth.Salesforce", "AddSalesforce()"),
    ];

    public static (string Service, string Package, string Registration)? Find(string configuredService) =>
        All.FirstOrDefault(known => string.Equals(
            CloudServiceRegistration.Normalize(known.Service), CloudServiceRegistration.Normalize(configuredService), StringComparison.OrdinalIgnoreCase)) is { Service: not null } found
            ? found
            : null;
}
