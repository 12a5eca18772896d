using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Configuration;

public class CertificateOptionsValidatorTests
{
    private const string Path = "XCallyModernAuth:CloudProviders:contoso:Certificate";

    private static (System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate, ValidationProblems Problems) Load(CertificateOptions options)
    {
        var problems = new ValidationProblems();
        return (CertificateOptionsValidator.Load(Path, options, DateTimeOffset.UtcNow, problems), problems);
    }

    [Fact]
    public void Load_PfxFileWithPassword_LoadsCertificateWithKey()
    {
        var file = TestCertificates.WriteTempFile(TestCertificates.Pfx("pa55"));
        try
        {
            var (certificate, problems) = Load(new CertificateOptions { Path = file, Password = "pa55" });

            Assert.Empty(problems.Items);
            using (certificate)
            {
                Assert.True(certificate!.HasPrivateKey);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_Base64Pfx_LoadsCertificateWithKey()
    {
        var (certificate, problems) = Load(new CertificateOptions { Base64 = Convert.ToBase64String(TestCertificates.Pfx("pa55")), Password = "pa55" });

        Assert.Empty(problems.Items);
        using (certificate)
        {
            Assert.True(certificate!.HasPrivateKey);
        }
    }

    [Fact]
    public void Load_NoSource_AsksForExactlyOne()
    {
        var (certificate, problems) = Load(new CertificateOptions { Password = "x" });

        Assert.Null(certificate);
        Assert.Equal([Path + ": none of Path, Base64 or Thumbprint is set; set exactly one (or, in code, Certificate)"], problems.Items);
    }

    [Fact]
    public void Load_SeveralSources_AsksForExactlyOne()
    {
        var (_, problems) = Load(new CertificateOptions { Path = "a.pfx", Thumbprint = "AB" });

        Assert.Equal([Path + ": Path and Thumbprint are all set; set exactly one of Path, Base64, Thumbprint or Certificate"], problems.Items);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFullPath()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pfx");

        var (_, problems) = Load(new CertificateOptions { Path = missing });

        var problem = Assert.Single(problems.Items);
        Assert.StartsWith($"{Path}:Path: the file '{missing}' does not exist", problem, StringComparison.Ordinal);
        Assert.Contains("set Path to the PFX file's location", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongPassword_SaysSoWithoutThePassword()
    {
        var wrong = TestConfiguration.NewSecret();
        var file = TestCertificates.WriteTempFile(TestCertificates.Pfx("right"));
        try
        {
            var (certificate, problems) = Load(new CertificateOptions { Path = file, Password = wrong });

            Assert.Null(certificate);
            var problem = Assert.Single(problems.Items);
            Assert.StartsWith(Path + ":Password: the configured password does not open the file", problem, StringComparison.Ordinal);
            Assert.Contains("set Certificate:Password", problem, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, problem, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_NotBase64_Refused()
    {
        var (_, problems) = Load(new CertificateOptions { Base64 = "***" });

        Assert.StartsWith(Path + ":Base64: the value is not valid base64; ", Assert.Single(problems.Items), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PfxWithoutPrivateKey_Refused()
    {
        var (certificate, problems) = Load(new CertificateOptions { Base64 = Convert.ToBase64String(TestCertificates.PfxWithoutKey("pa55")), Password = "pa55" });

        Assert.Null(certificate);
        var problem = Assert.Single(problems.Items);
        Assert.StartsWith(Path + ": the certificate ", problem, StringComparison.Ordinal);
        Assert.Contains("has no private key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExpiredCertificate_Refused()
    {
        var pfx = TestCertificates.Pfx("pa55", notAfter: DateTimeOffset.UtcNow.AddDays(-2));

        var (certificate, problems) = Load(new CertificateOptions { Base64 = Convert.ToBase64String(pfx), Password = "pa55" });

        Assert.Null(certificate);
        Assert.Contains("expired on", Assert.Single(problems.Items), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ThumbprintNotInStore_NamesStoreAndThumbprint()
    {
        // Copied from the Windows certificate dialog: spaces, lower case and an invisible left-to-right mark.
        var (certificate, problems) = Load(new CertificateOptions { Thumbprint = "\u200e0a 1b 2c 3d 4e 5f 60 71 82 93 a4 b5 c6 d7 e8 f9 0a 1b 2c 3d" });

        Assert.Null(certificate);
        var problem = Assert.Single(problems.Items);
        Assert.StartsWith(Path + ":Thumbprint: ", problem, StringComparison.Ordinal);
        Assert.Contains("0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D", problem, StringComparison.Ordinal);
        Assert.Contains("CurrentUser/My", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAThumbprint_Refused()
    {
        var (_, problems) = Load(new CertificateOptions { Thumbprint = "my-cert" });

        Assert.Contains("'my-cert' is not a certificate thumbprint", Assert.Single(problems.Items), StringComparison.Ordinal);
    }
}
