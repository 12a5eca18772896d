using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MailKit.Net.Imap;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Stack;
using XCally.ModernAuth.InteropTests.Tokens;

namespace XCally.ModernAuth.InteropBenchmarks;

/// <summary>
/// One IMAPS session against Dovecot: connect (TLS), authenticate, LOGOUT. XOAUTH2 (the oauth2 passdb validating an RS256 JWT
/// locally) against PLAIN (a passwd-file user) on the same server. The token is minted once, as a token cache would hand it out.
/// </summary>
[MemoryDiagnoser]
public class ImapLoginBenchmarks
{
    private MailStackEndpoints _endpoints = null!;
    private byte[] _pinnedCertificateHash = [];
    private string _mailbox = string.Empty;
    private string _token = string.Empty;

    /// <summary>Mints the token and pins the stack's certificate.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _endpoints = RunningStack.Stack.Endpoints;
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_endpoints.CertificateFile));
        _pinnedCertificateHash = certificate.GetCertHash(HashAlgorithmName.SHA256);
        _mailbox = _endpoints.Mailbox("bench");
        _token = new TestTokenMinter(RunningStack.TrustedKey.SigningCredentials, TimeProvider.System).Mint(_mailbox);
    }

    /// <summary>Password login: the baseline.</summary>
    /// <returns>A task that completes after LOGOUT.</returns>
    [Benchmark(Baseline = true, Description = "IMAPS connect + PLAIN + LOGOUT")]
    public Task Plain() => LoginAsync(NewPlain());

    /// <summary>Bearer-token login.</summary>
    /// <returns>A task that completes after LOGOUT.</returns>
    [Benchmark(Description = "IMAPS connect + XOAUTH2 + LOGOUT")]
    public Task XOAuth2() => LoginAsync(NewXOAuth2());

    /// <summary>The PLAIN mechanism for the baseline user.</summary>
    /// <returns>A new mechanism object.</returns>
    internal SaslMechanism NewPlain() => new SaslMechanismPlain(_endpoints.PlainUser, _endpoints.PlainPassword);

    /// <summary>The XOAUTH2 mechanism carrying the minted token.</summary>
    /// <returns>A new mechanism object.</returns>
    internal SaslMechanism NewXOAuth2() => new SaslMechanismOAuth2(_mailbox, _token);

    internal async Task LoginAsync(SaslMechanism mechanism)
    {
        using var client = new ImapClient
        {
            Timeout = 15_000,
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                && CryptographicOperations.FixedTimeEquals(_pinnedCertificateHash, certificate.GetCertHash(HashAlgorithmName.SHA256)),
        };
        await client.ConnectAsync(_endpoints.Host, _endpoints.ImapsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(mechanism);
        await client.DisconnectAsync(quit: true);
    }
}
