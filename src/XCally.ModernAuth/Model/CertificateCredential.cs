using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth;

/// <summary>A certificate with its private key, whose public part is uploaded to the app registration.</summary>
public sealed class CertificateCredential : ProviderCredential
{
    /// <summary>Creates the credential.</summary>
    /// <param name="certificate">The certificate; it must hold a private key.</param>
    /// <param name="sendX5C">Whether to send the certificate chain (<c>x5c</c>) with each assertion, for subject-name/issuer authentication.</param>
    public CertificateCredential(X509Certificate2 certificate, bool sendX5C = false)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The certificate {certificate.Thumbprint} has no private key; load it from a PFX file or a store entry that holds the key.", nameof(certificate));
        }

        Certificate = certificate;
        SendX5C = sendX5C;
    }

    /// <summary>The certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Whether the certificate chain is sent with each assertion.</summary>
    public bool SendX5C { get; }

    /// <summary>
    /// Whether the host handed in this certificate instance (<see cref="CertificateOptions.Certificate"/>) and so owns it: the SDK
    /// never disposes it. Certificates the SDK loaded itself (a file, base64, a store) are the SDK's to free.
    /// </summary>
    internal bool OwnedByHost { get; init; }

    /// <inheritdoc />
    public override string Description => $"certificate (thumbprint {Certificate.Thumbprint})";

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is CertificateCredential certificate
        && string.Equals(Certificate.Thumbprint, certificate.Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)
        && SendX5C == certificate.SendX5C;
}
