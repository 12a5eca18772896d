using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

/// <summary>
/// The sign-in host over a real socket: one that accepts and never answers, and ones whose TLS certificate is wrong. The SDK
/// must bound the wait and name the cause (a timeout, a certificate problem), never call either a DNS problem.
/// </summary>
public sealed class TokenProviderNetworkTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_SignInHostAcceptsButNeverAnswers_TimesOutNamingTheHost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        _ = AcceptForeverAsync(listener, accepted);
        var host = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), authorityHost: host, allowNonMicrosoftAuthority: true);
        using var http = new RealHttpClientFactory(new SocketsHttpHandler());
        using var harness = new TokenProviderHarness(
            provider, options: new TokenProviderOptions { IdentityRequestTimeout = TimeSpan.FromSeconds(1) }, httpClientFactory: http);

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync()).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
        Assert.Equal("timeout", error.ErrorCode);
        Assert.Contains(host.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
        Assert.Contains("did not complete within 1 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DNS", error.Message, StringComparison.Ordinal);
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Theory]
    [InlineData("name", "does not name the host")]
    [InlineData("expired", "has expired or is not yet valid")]
    [InlineData("untrusted", "does not chain to a root this machine trusts")]
    public async Task GetAccessTokenAsync_SignInHostCertificateWrong_ReportedAsTlsProblemWithTheFix(string problem, string expected)
    {
        using var root = CreateRoot();
        using var serverCertificate = problem switch
        {
            "name" => CreateLeaf(root, "login.other.example", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)),
            "expired" => CreateLeaf(root, "127.0.0.1", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)),
            _ => CreateSelfSigned("127.0.0.1"),
        };
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = ServeTlsAsync(listener, serverCertificate);
        var host = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()), authorityHost: host, allowNonMicrosoftAuthority: true);

        // The machine trusts the test root (as it would a corporate CA installed in its store).
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { root },
                },
            },
        };
        using var http = new RealHttpClientFactory(handler);
        using var harness = new TokenProviderHarness(provider, httpClientFactory: http);

        var error = await Assert.ThrowsAsync<ModernAuthException>(async () => await harness.GetAsync()).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, error.Category);
        Assert.Equal("tls", error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DNS,", error.Message, StringComparison.Ordinal);
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static async Task ServeTlsAsync(TcpListener listener, X509Certificate2 certificate)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync();
                _ = Task.Run(async () =>
                {
                    using (client)
                    await using (var tls = new SslStream(client.GetStream()))
                    {
                        try
                        {
                            await tls.AuthenticateAsServerAsync(certificate);
                        }
                        catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException)
                        {
                            // The client refused the certificate, as it should.
                        }
                    }
                });
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static X509Certificate2 CreateRoot()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=XCally.ModernAuth test root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(60));
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 root, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = Leaf(name, key);
        using var issued = request.Create(root, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return WithKey(issued, key);
    }

    private static X509Certificate2 CreateSelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        using var certificate = Leaf(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private static CertificateRequest Leaf(string name, RSA key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    // SslStream needs the key in a form the platform can use: round-trip through PKCS#12.
    private static X509Certificate2 WithKey(X509Certificate2 certificate, RSA key)
    {
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>An <see cref="IHttpClientFactory"/> over one real handler, as the host's named client would be.</summary>
    private sealed class RealHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory, IDisposable
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);

        public void Dispose() => handler.Dispose();
    }
}
