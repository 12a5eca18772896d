using System.Net;
using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Testing.Certificates;

namespace XCally.ModernAuth.Testing.Tests.Certificates;

public class EmulatorCertificatesTests
{
    [Fact]
    public void CreateServerCertificate_Names_InSubjectAlternativeName()
    {
        using var certificate = EmulatorCertificates.CreateServerCertificate(["127.0.0.1", "localhost", "mail.test"]);

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Equal(["localhost", "mail.test"], san.EnumerateDnsNames());
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void TrustExactly_SameAndOtherCertificate_AcceptsOnlySame()
    {
        using var expected = EmulatorCertificates.CreateLoopbackCertificate();
        using var other = EmulatorCertificates.CreateLoopbackCertificate();
        var callback = EmulatorCertificates.TrustExactly(expected);

        Assert.True(callback(this, expected, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(callback(this, other, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(callback(this, null, null, System.Net.Security.SslPolicyErrors.None));
    }
}
