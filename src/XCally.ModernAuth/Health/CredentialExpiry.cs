namespace XCally.ModernAuth.Internal;

/// <summary>When a provider's credential stops working by itself: a client secret's known expiry, a certificate's validity.</summary>
/// <param name="What">The credential, for messages: <c>client secret</c>, <c>certificate 1A2B…</c>.</param>
/// <param name="Kind">A short tag for metrics: <c>client_secret</c>, <c>certificate</c>.</param>
/// <param name="ExpiresOn">When it expires.</param>
/// <param name="NotBefore">When it starts to be valid, for a certificate.</param>
internal sealed record CredentialExpiry(string What, string Kind, DateTimeOffset ExpiresOn, DateTimeOffset? NotBefore)
{
    /// <summary>The expiry of a credential, or <see langword="null"/> when it has none the SDK knows (no secret to expire, or unknown).</summary>
    public static CredentialExpiry? Of(ProviderCredential credential) => credential switch
    {
        ClientSecretCredential { ExpiresOn: { } expiresOn } => new CredentialExpiry("client secret", "client_secret", expiresOn, null),
        CertificateCredential certificate => new CredentialExpiry(
            $"certificate {certificate.Certificate.Thumbprint}",
            "certificate",
            new DateTimeOffset(certificate.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero)),
        _ => null,
    };

    /// <summary>Whole days left (rounded down; negative once expired).</summary>
    public int DaysLeft(DateTimeOffset now) => (int)Math.Floor((ExpiresOn - now).TotalDays);

    /// <summary>What to do about it, for a provider.</summary>
    public string Renewal(string providerName) => Kind == "certificate"
        ? $"create a new certificate, upload its public part under the app registration's Certificates & secrets and configure it for cloud provider '{providerName}'"
        : $"add a new client secret under the app registration's Certificates & secrets and update ClientSecret and SecretExpiresOn of cloud provider '{providerName}'";
}
