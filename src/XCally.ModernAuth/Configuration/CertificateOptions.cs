using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth;

/// <summary>
/// Where a certificate credential comes from: exactly one of a PFX file, a base64 PFX, a thumbprint in a certificate store, or (in
/// code) a certificate instance the host loaded itself.
/// </summary>
public sealed class CertificateOptions
{
    /// <summary>The path of a PFX (PKCS#12) file holding the certificate and its private key.</summary>
    public string? Path { get; set; }

    /// <summary>The PFX's password, for <see cref="Path"/> or <see cref="Base64"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A PFX encoded as base64, e.g. from a secret store.</summary>
    public string? Base64 { get; set; }

    /// <summary>The thumbprint of a certificate in <see cref="StoreLocation"/>/<see cref="StoreName"/>.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>The store searched for <see cref="Thumbprint"/>. Default <see cref="StoreLocation.CurrentUser"/>.</summary>
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>The store searched for <see cref="Thumbprint"/>. Default <see cref="StoreName.My"/>.</summary>
    public StoreName StoreName { get; set; } = StoreName.My;

    /// <summary>
    /// A certificate instance with its private key, loaded by the host (from Azure Key Vault, a hardware module, its own store).
    /// Code-only. The host keeps owning it: the SDK never disposes it; replace the provider's options to rotate it.
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Whether to send the certificate chain (<c>x5c</c>) with each assertion. Default <see langword="false"/>.</summary>
    public bool SendX5C { get; set; }

    /// <summary>
    /// The folder a relative <see cref="Path"/> is resolved against: the host's content root when known (see
    /// <see cref="ModernAuthOptions.ContentRoot"/>), else the current directory.
    /// </summary>
    internal string? BaseDirectory { get; set; }
}
