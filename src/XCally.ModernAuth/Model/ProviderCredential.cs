namespace XCally.ModernAuth;

/// <summary>
/// How a <see cref="CloudProvider"/> proves its identity to the identity platform: exactly one of
/// <see cref="ClientSecretCredential"/>, <see cref="CertificateCredential"/>, <see cref="ClientAssertionCredential"/>, or one
/// without a secret: <see cref="ManagedIdentityCredential"/>, <see cref="FederatedManagedIdentityCredential"/> or
/// <see cref="FederatedTokenFileCredential"/>.
/// </summary>
/// <remarks>No credential ever shows its secret material in <see cref="object.ToString"/>.</remarks>
public abstract class ProviderCredential
{
    private protected ProviderCredential()
    {
    }

    /// <summary>A short, secret-free description such as <c>client secret</c> or <c>certificate (thumbprint 1A2B…)</c>.</summary>
    public abstract string Description { get; }

    /// <inheritdoc />
    public sealed override string ToString() => Description;

    /// <summary>Whether <paramref name="other"/> signs in with the same material (see <see cref="CloudProvider.Equals(CloudProvider?)"/>).</summary>
    internal abstract bool HasSameMaterial(ProviderCredential other);
}
