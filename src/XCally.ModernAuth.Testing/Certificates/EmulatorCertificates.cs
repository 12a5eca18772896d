using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XCally.ModernAuth.Testing.Certificates;

/// <summary>
/// Makes the self-signed TLS certificates the emulator's loopback servers present, and the validation callbacks that trust
/// exactly one such certificate (never the machine's trust store, never "accept anything").
/// </summary>
internal static class EmulatorCertificates
{
    /// <summary>The names a loopback server answers to.</summary>
    public static readonly IReadOnlyList<string> LoopbackNames = ["127.0.0.1", "localhost"];

    /// <summary>Creates a self-signed server certificate (ECDSA P-256, server authentication) for the given names.</summary>
    /// <param name="names">IP addresses and DNS names for the subject alternative name; the first is also the common name.</param>
    /// <param name="notBefore">Start of validity; one day before now when omitted (absorbs clock skew).</param>
    /// <param name="lifetime">Validity after <paramref name="notBefore"/>; 30 days when omitted.</param>
    /// <returns>The certificate with its private key, usable by <see cref="SslStream"/> and Kestrel.</returns>
    public static X509Certificate2 CreateServerCertificate(IReadOnlyList<string> names, DateTimeOffset? notBefore = null, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("A server certificate needs at least one name (an IP address or a DNS name).", nameof(names));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={names[0]}"), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var start = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        return request.CreateSelfSigned(start, start + (lifetime ?? TimeSpan.FromDays(30)));
    }

    /// <summary>Creates a self-signed server certificate for <c>127.0.0.1</c> and <c>localhost</c>.</summary>
    /// <returns>The certificate with its private key.</returns>
    public static X509Certificate2 CreateLoopbackCertificate() => CreateServerCertificate(LoopbackNames);

    /// <summary>Whether a presented certificate is exactly the expected one (same DER bytes).</summary>
    /// <param name="expected">The certificate the server was given.</param>
    /// <param name="presented">The certificate the peer presented.</param>
    /// <returns><see langword="true"/> only for the same certificate.</returns>
    public static bool IsSameCertificate(X509Certificate2 expected, X509Certificate? presented) =>
        presented is not null && expected.RawDataMemory.Span.SequenceEqual(presented.GetRawCertData());

    /// <summary>A TLS validation callback that accepts exactly <paramref name="expected"/> and refuses every other certificate.</summary>
    /// <param name="expected">The certificate to trust.</param>
    /// <returns>The callback, for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> or MailKit's <c>ServerCertificateValidationCallback</c>.</returns>
    public static RemoteCertificateValidationCallback TrustExactly(X509Certificate2 expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return (_, presented, _, _) => IsSameCertificate(expected, presented);
    }

    /// <summary>An HTTP handler whose TLS trusts exactly <paramref name="expected"/>.</summary>
    /// <param name="expected">The certificate to trust.</param>
    /// <returns>A new handler; the caller owns it.</returns>
    public static SocketsHttpHandler CreateTrustingHandler(X509Certificate2 expected) => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustExactly(expected) },
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };
}
