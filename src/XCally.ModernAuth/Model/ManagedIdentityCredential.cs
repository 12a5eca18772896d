namespace XCally.ModernAuth;

/// <summary>
/// App-only tokens straight from the host's Azure managed identity, with no secret anywhere: the managed identity is the
/// application that Exchange Online knows (<c>New-ServicePrincipal</c> with its application id and object id) and that holds the
/// Office 365 Exchange Online application permissions. App-only flow only.
/// </summary>
public sealed class ManagedIdentityCredential : ProviderCredential
{
    /// <summary>Creates the credential.</summary>
    /// <param name="identity">Which managed identity of the host to use.</param>
    public ManagedIdentityCredential(ManagedIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
    }

    /// <summary>The managed identity.</summary>
    public ManagedIdentity Identity { get; }

    /// <inheritdoc />
    public override string Description => $"managed identity ({Identity})";

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is ManagedIdentityCredential managed && Identity.Equals(managed.Identity);
}
