namespace XCally.ModernAuth;

/// <summary>
/// A federated credential of the app registration backed by the host's managed identity (Microsoft's recommended credential
/// without a secret): the managed identity's token for the token exchange audience (<c>api://AzureADTokenExchange</c> in the
/// global cloud) is the client assertion. The app registration carries a federated credential whose issuer is
/// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>, whose subject is the managed identity's object (principal) id and
/// whose audience is that value.
/// </summary>
public sealed class FederatedManagedIdentityCredential : ProviderCredential
{
    /// <summary>Creates the credential.</summary>
    /// <param name="identity">Which managed identity of the host signs the assertion.</param>
    /// <param name="audience">The audience of the managed identity's token; see <see cref="CloudEnvironmentDefaults.GetTokenExchangeAudience"/>.</param>
    public FederatedManagedIdentityCredential(ManagedIdentity identity, string audience)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        Identity = identity;
        Audience = audience.Trim();
    }

    /// <summary>The managed identity whose token is the assertion.</summary>
    public ManagedIdentity Identity { get; }

    /// <summary>The audience the managed identity's token is requested for.</summary>
    public string Audience { get; }

    /// <inheritdoc />
    public override string Description => $"federated credential (managed identity {Identity}, audience {Audience})";

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is FederatedManagedIdentityCredential federated
        && Identity.Equals(federated.Identity)
        && string.Equals(Audience, federated.Audience, StringComparison.Ordinal);
}
