using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.Mail;

/// <summary>
/// A tenant with an app (all three app roles, full access to the shared mailbox), a user with their own mailbox, the mail servers
/// with a run-time TLS certificate and a fake clock, and MailKit clients that trust that certificate. Tokens are minted here with the
/// emulator's signing key in the shape the identity platform issues.
/// </summary>
internal sealed class MailTestEnvironment : IAsyncDisposable
{
    private MailTestEnvironment(EmulatorMailServerOptions? options)
    {
        Tenant = Directory.AddTenant("contoso.onmicrosoft.com");
        App = Directory.AddApplication(Tenant, "helpdesk")
            .GrantAppRoles(EmulatorApplication.ImapAccessAsApp, EmulatorApplication.PopAccessAsApp, EmulatorApplication.SmtpSendAsApp);
        Shared = Directory.AddMailbox(Tenant, "support@contoso.onmicrosoft.com");
        Shared.GrantFullAccess(App);
        User = Directory.AddUser(Tenant, "agent@contoso.onmicrosoft.com", "Agent Smith");
        UserMailbox = Directory.AddMailbox(Tenant, User.UserPrincipalName, User);
        Options = options;
    }

    public EmulatorDirectory Directory { get; } = new();

    public EmulatorSigningKey SigningKey { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public X509Certificate2 Certificate { get; } = CreateCertificate();

    public EmulatorTenant Tenant { get; }

    public EmulatorApplication App { get; }

    public EmulatorMailbox Shared { get; }

    public EmulatorUser User { get; }

    public EmulatorMailbox UserMailbox { get; }

    public EmulatorMailServerOptions? Options { get; }

    public EmulatorMailServer Server { get; private set; } = null!;

    public static async Task<MailTestEnvironment> StartAsync(EmulatorMailServerOptions? options = null)
    {
        var environment = new MailTestEnvironment(options);
        environment.Server = await EmulatorMailServer.StartAsync(
            environment.Directory, environment.SigningKey, environment.Certificate, environment.Time, options, TestContext.Current.CancellationToken);
        return environment;
    }

    /// <summary>An app-only token like the one for <c>https://outlook.office365.com/.default</c>.</summary>
    public string AppToken(IEnumerable<string>? roles = null, string audience = "https://outlook.office365.com", TimeSpan? lifetime = null, EmulatorSigningKey? key = null, string? tenantId = null) =>
        Mint(
            new Dictionary<string, object>
            {
                ["aud"] = audience,
                ["oid"] = App.ServicePrincipalId,
                ["sub"] = App.ServicePrincipalId,
                ["roles"] = (roles ?? App.AppRoles).ToArray(),
                ["idtyp"] = "app",
            },
            lifetime,
            key,
            tenantId);

    /// <summary>A delegated token like the one for <c>https://outlook.office.com/IMAP.AccessAsUser.All …</c>.</summary>
    public string UserToken(string scopes = "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send", EmulatorUser? user = null, string audience = "https://outlook.office.com") =>
        Mint(
            new Dictionary<string, object>
            {
                ["aud"] = audience,
                ["oid"] = (user ?? User).ObjectId,
                ["sub"] = (user ?? User).ObjectId,
                ["scp"] = scopes,
                ["upn"] = (user ?? User).UserPrincipalName,
                ["unique_name"] = (user ?? User).UserPrincipalName,
                ["name"] = (user ?? User).DisplayName,
                ["idtyp"] = "user",
            },
            null,
            null,
            null);

    public async Task<ImapClient> ConnectImapAsync(bool startTls = false)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = TrustCertificate };
        await client.ConnectAsync(
            IPAddress.Loopback.ToString(),
            startTls ? Server.ImapStartTlsPort : Server.ImapPort,
            startTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect,
            TestContext.Current.CancellationToken);
        return client;
    }

    public async Task<Pop3Client> ConnectPop3Async()
    {
        var client = new Pop3Client { ServerCertificateValidationCallback = TrustCertificate };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), Server.Pop3Port, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);
        return client;
    }

    public async Task<SmtpClient> ConnectSmtpAsync()
    {
        var client = new SmtpClient { ServerCertificateValidationCallback = TrustCertificate };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), Server.SmtpPort, SecureSocketOptions.StartTls, TestContext.Current.CancellationToken);
        return client;
    }

    public static MimeMessage Message(string from, string to, string subject, string body = "Hello from the emulator.")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Assert.Equal(0, Server.FaultedSessions);
        SigningKey.Dispose();
        Certificate.Dispose();
    }

    private bool TrustCertificate(object sender, X509Certificate? certificate, X509Chain? chain, System.Net.Security.SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    private string Mint(Dictionary<string, object> claims, TimeSpan? lifetime, EmulatorSigningKey? key, string? tenantId)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var tid = tenantId ?? Tenant.TenantId;
        claims["iss"] = $"https://sts.windows.net/{tid}/";
        claims["tid"] = tid;
        claims["appid"] = App.ClientId;
        claims["azp"] = App.ClientId;
        claims["ver"] = "1.0";
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(75)),
            SigningCredentials = (key ?? SigningKey).SigningCredentials,
            TokenType = "JWT",
        });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
