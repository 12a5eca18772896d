using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Samples.Web.Data;
using XCally.ModernAuth.Samples.Web.Secrets;

namespace XCally.ModernAuth.Samples.Web.Features.Providers;

/// <summary>
/// Takes an uploaded PFX into a provider row: read (at most 64 KiB), opened with its password to show its thumbprint and expiry,
/// then kept only as Data Protection ciphertext, as is its password.
/// </summary>
public static class CertificateUpload
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>Applies the upload; returns the problem to show on the field, or <see langword="null"/>.</summary>
    public static async Task<string?> ApplyAsync(IFormFile? file, string? password, CloudProviderRecord record, SecretProtector secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(secrets);
        if (file is null || file.Length == 0)
        {
            return null;
        }

        if (file.Length > MaxBytes)
        {
            return $"The file is larger than {MaxBytes / 1024} KiB; upload the PFX (.pfx or .p12) holding the certificate and its private key.";
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey)
            {
                return "The file holds no private key; export the certificate with its private key as a PFX.";
            }

            record.CertificateThumbprint = certificate.Thumbprint;
            record.CertificateSubject = certificate.Subject;
            record.CertificateExpiresOn = certificate.NotAfter.ToUniversalTime();
        }
        catch (CryptographicException)
        {
            return "The file could not be opened with this password; check the password, and that the file is a PFX (.pfx or .p12).";
        }

        record.ProtectedCertificate = secrets.Protect(Convert.ToBase64String(bytes));
        record.ProtectedCertificatePassword = string.IsNullOrEmpty(password) ? null : secrets.Protect(password);
        return null;
    }
}
