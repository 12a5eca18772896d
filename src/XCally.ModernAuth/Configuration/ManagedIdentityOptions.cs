namespace XCally.ModernAuth;

/// <summary>
/// Which Azure managed identity of the host a credential uses: the system-assigned one when neither <see cref="ClientId"/> nor
/// <see cref="ResourceId"/> is set (in configuration, the value <c>SystemAssigned</c>), else the user-assigned one they name.
/// </summary>
public sealed class ManagedIdentityOptions
{
    /// <summary>The configuration value that selects the system-assigned identity: <c>"ManagedIdentity": "SystemAssigned"</c>.</summary>
    public const string SystemAssignedValue = "SystemAssigned";

    /// <summary>The client id of a user-assigned managed identity (its Overview page, <em>Client ID</em>).</summary>
    public string? ClientId { get; set; }

    /// <summary>The Azure resource id of a user-assigned managed identity (its <em>Properties</em> page, <em>Resource ID</em>).</summary>
    public string? ResourceId { get; set; }
}
