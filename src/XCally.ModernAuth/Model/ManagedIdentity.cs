namespace XCally.ModernAuth;

/// <summary>
/// Which Azure managed identity of the host to use: the resource's system-assigned identity, or a user-assigned identity named by
/// its client id or its Azure resource id. Immutable; two instances are equal when they name the same identity.
/// </summary>
public sealed class ManagedIdentity : IEquatable<ManagedIdentity>
{
    private ManagedIdentity(string? clientId, string? resourceId)
    {
        ClientId = clientId;
        ResourceId = resourceId;
    }

    /// <summary>The system-assigned identity of the Azure resource the host runs on (App Service, Functions, a VM, a container app).</summary>
    public static ManagedIdentity SystemAssigned { get; } = new(null, null);

    /// <summary>The client id of a user-assigned identity, or <see langword="null"/>.</summary>
    public string? ClientId { get; }

    /// <summary>The Azure resource id of a user-assigned identity, or <see langword="null"/>.</summary>
    public string? ResourceId { get; }

    /// <summary>Whether this is the resource's system-assigned identity.</summary>
    public bool IsSystemAssigned => ClientId is null && ResourceId is null;

    /// <summary>A user-assigned identity by its client id (the identity's Overview page, <em>Client ID</em>).</summary>
    /// <param name="clientId">The client id, a GUID.</param>
    /// <returns>The identity.</returns>
    public static ManagedIdentity UserAssignedByClientId(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return new ManagedIdentity(clientId.Trim(), null);
    }

    /// <summary>A user-assigned identity by its Azure resource id (<c>/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…</c>).</summary>
    /// <param name="resourceId">The resource id.</param>
    /// <returns>The identity.</returns>
    public static ManagedIdentity UserAssignedByResourceId(string resourceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        return new ManagedIdentity(null, resourceId.Trim());
    }

    /// <inheritdoc />
    public bool Equals(ManagedIdentity? other) =>
        other is not null
        && string.Equals(ClientId, other.ClientId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(ResourceId, other.ResourceId, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ManagedIdentity);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        ClientId is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ClientId),
        ResourceId is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ResourceId));

    /// <inheritdoc />
    public override string ToString() =>
        ClientId is not null ? $"user-assigned, client id {ClientId}"
        : ResourceId is not null ? $"user-assigned, resource id {ResourceId}"
        : "system-assigned";
}
