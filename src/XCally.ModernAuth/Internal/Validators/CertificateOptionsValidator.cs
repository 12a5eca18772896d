using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Checks a certificate credential by loading it: exactly one source, the file or store entry exists, the password opens it,
/// it holds a private key and has not expired. Messages name the file or thumbprint, never the password or the key. A
/// certificate instance the host handed in is checked the same way and stays the host's: <see cref="Release"/> never frees it.
/// </summary>
internal static class CertificateOptionsValidator
{
    /// <summary>Frees a certificate <see cref="Load"/> returned, unless it is the host's own instance.</summary>
    public static void Release(X509Certificate2? certificate, CertificateOptions? options)
    {
        if (certificate is not null && !ReferenceEquals(certificate, options?.Certificate))
        {
            certificate.Dispose();
        }
    }

    /// <summary>Validates and loads; the caller owns the returned certificate and frees it with <see cref="Release"/>.</summary>
    public static X509Certificate2? Load(string path, CertificateOptions options, DateTimeOffset now, ValidationProblems problems)
    {
        EnumRules.Defined(options.StoreLocation, ConfigurationEnums.StoreLocation, ValidationProblems.Path(path, "StoreLocation"), problems);
        EnumRules.Defined(options.StoreName, ConfigurationEnums.StoreName, ValidationProblems.Path(path, "StoreName"), problems);

        List<string> sources = [];
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            sources.Add(nameof(options.Path));
        }

        if (!string.IsNullOrWhiteSpace(options.Base64))
        {
            sources.Add(nameof(options.Base64));
        }

        if (!string.IsNullOrWhiteSpace(options.Thumbprint))
        {
            sources.Add(nameof(options.Thumbprint));
        }

        if (options.Certificate is not null)
        {
            sources.Add(nameof(options.Certificate));
        }

        if (sources.Count != 1)
        {
            problems.Add(path, sources.Count == 0
                ? "none of Path, Base64 or Thumbprint is set; set exactly one (or, in code, Certificate)"
                : $"{string.Join(" and ", sources)} are all set; set exactly one of Path, Base64, Thumbprint or Certificate");
            return null;
        }

        var certificate = sources[0] switch
        {
            nameof(options.Path) => FromFile(path, options.Path!, options.BaseDirectory, options.Password, problems),
            nameof(options.Base64) => FromBase64(path, options.Base64!, options.Password, problems),
            nameof(options.Certificate) => options.Certificate,
            _ => FromStore(ValidationProblems.Path(path, "Thumbprint"), options, problems),
        };
        if (certificate is null)
        {
            return null;
        }

        var problemsBefore = problems.Count;
        if (!certificate.HasPrivateKey)
        {
            problems.Add(path, $"the certificate {certificate.Thumbprint} has no private key; use a PFX or store entry that includes it");
        }

        if (new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero) <= now)
        {
            problems.Add(path, $"the certificate {certificate.Thumbprint} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; create a new one and upload it to the app registration's Certificates & secrets");
        }

        if (problems.Count > problemsBefore)
        {
            Release(certificate, options);
            return null;
        }

        return certificate;
    }

    private static X509Certificate2? FromFile(string certificatePath, string file, string? baseDirectory, string? password, ValidationProblems problems)
    {
        var path = ValidationProblems.Path(certificatePath, "Path");
        var fullPath = baseDirectory is null ? System.IO.Path.GetFullPath(file) : System.IO.Path.GetFullPath(file, baseDirectory);
        if (!File.Exists(fullPath))
        {
            var relative = System.IO.Path.IsPathRooted(file)
                ? string.Empty
                : $" (a relative path is resolved against {(baseDirectory is null ? "the current directory" : "the host's content root")}, {System.IO.Path.GetDirectoryName(fullPath)})";
            problems.Add(path, $"the file '{fullPath}' does not exist{relative}; set Path to the PFX file's location, or use Base64 or Thumbprint instead");
            return null;
        }

        byte[] data;
        try
        {
            data = File.ReadAllBytes(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(path, $"the file '{fullPath}' cannot be read ({ex.GetType().Name}); check its permissions");
            return null;
        }

        return FromPkcs12(certificatePath, "Path", $"the file '{fullPath}'", data, password, problems);
    }

    private static X509Certificate2? FromBase64(string certificatePath, string base64, string? password, ValidationProblems problems)
    {
        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            problems.Add(ValidationProblems.Path(certificatePath, "Base64"), "the value is not valid base64; encode the PFX file's bytes, e.g. with [Convert]::ToBase64String or base64 -w0");
            return null;
        }

        return FromPkcs12(certificatePath, "Base64", "the value", data, password, problems);
    }

    // A PFX that does not open with the password is the password's fault, and is reported at Password; data that is no PFX at
    // all (a .cer or .pem exported without the key) is reported at its source.
    private static X509Certificate2? FromPkcs12(string certificatePath, string source, string what, byte[] data, string? password, ValidationProblems problems)
    {
        try
        {
            return LoadPkcs12(data, password);
        }
        catch (CryptographicException)
        {
            if (IsPkcs12(data))
            {
                problems.Add(
                    ValidationProblems.Path(certificatePath, "Password"),
                    password is null
                        ? $"{what} is a PFX protected by a password, and none is set; set Certificate:Password to the password it was exported with"
                        : $"the configured password does not open {what}; set Certificate:Password to the password the PFX was exported with");
            }
            else
            {
                problems.Add(
                    ValidationProblems.Path(certificatePath, source),
                    $"{what} is not a PFX (PKCS#12) file; export the certificate with its private key as a .pfx (Windows: Export, Yes, export the private key; OpenSSL: openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx)");
            }

            return null;
        }
    }

    private static bool IsPkcs12(byte[] data)
    {
        try
        {
            return X509Certificate2.GetCertContentType(data) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static X509Certificate2 LoadPkcs12(byte[] data, string? password)
    {
        try
        {
            // Ephemeral: the private key stays in memory instead of being written to the user's key store on every load.
            return LoadPkcs12(data, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (PlatformNotSupportedException)
        {
            // macOS cannot keep a PFX key ephemeral.
            return LoadPkcs12(data, password, X509KeyStorageFlags.DefaultKeySet);
        }
    }

    private static X509Certificate2 LoadPkcs12(byte[] data, string? password, X509KeyStorageFlags flags) =>
#if NET9_0_OR_GREATER
        X509CertificateLoader.LoadPkcs12(data, password, flags);
#else
        new(data, password, flags);
#endif

    private static X509Certificate2? FromStore(string path, CertificateOptions options, ValidationProblems problems)
    {
        // A thumbprint copied from the Windows certificate dialog often carries spaces and an invisible left-to-right mark.
        var thumbprint = new string(options.Thumbprint!
            .Where(c => !char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) != UnicodeCategory.Format)
            .ToArray())
            .ToUpperInvariant();
        if (thumbprint.Length != 40 || !thumbprint.All(char.IsAsciiHexDigit))
        {
            problems.Add(path, $"'{options.Thumbprint}' is not a certificate thumbprint; use the 40 hexadecimal digits of its SHA-1 thumbprint");
            return null;
        }

        var where = $"{options.StoreLocation}/{options.StoreName}";
        try
        {
            using var store = new X509Store(options.StoreName, options.StoreLocation);
            store.Open(OpenFlags.ReadOnly);
            X509Certificate2? match = null;
            foreach (var candidate in store.Certificates)
            {
                if (match is null && string.Equals(candidate.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    match = candidate;
                }
                else
                {
                    candidate.Dispose();
                }
            }

            if (match is null)
            {
                problems.Add(path, $"no certificate with thumbprint {thumbprint} in the {where} store; import it there, or check StoreLocation and StoreName");
            }

            return match;
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            problems.Add(path, $"the {where} certificate store cannot be opened ({ex.GetType().Name}); no certificate with thumbprint {thumbprint} can be found");
            return null;
        }
    }
}
