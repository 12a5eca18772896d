using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Tests.TestSupport;

/// <summary>Self-signed certificates generated at run time (nothing secret is committed), exported as password-protected PFX.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=XCally.ModernAuth tests", key, HashAlgorithmName.SHA256);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        return request.CreateSelfSigned(end.AddDays(-60), end);
    }

    public static byte[] Pfx(string password, DateTimeOffset? notAfter = null)
    {
        using var certificate = Create(notAfter);
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    /// <summary>A PFX holding only the public certificate, as exported without "Yes, export the private key".</summary>
    public static byte[] PfxWithoutKey(string password)
    {
        using var certificate = Create();
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return publicOnly.Export(X509ContentType.Pkcs12, password);
    }

    public static string WriteTempFile(byte[] pfx)
    {
        var path = Path.Combine(Path.GetTempPath(), $"xcally-modernauth-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, pfx);
        return path;
    }
}
