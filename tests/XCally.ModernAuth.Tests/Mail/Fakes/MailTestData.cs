using System.Text;
using Microsoft.Extensions.Options;
using Moq;

namespace XCally.ModernAuth.Tests.Mail.Fakes;

/// <summary>Accounts, providers, tokens and token-provider mocks for the mail tests.</summary>
internal static class MailTestData
{
    public const string Address = "alice@contoso.test";

    public const string ProviderName = "contoso";

    public static AccessToken Token(string value) =>
        new(value, DateTimeOffset.UtcNow.AddHours(1), ["https://outlook.office365.com/.default"], TokenSource.IdentityProvider);

    /// <summary>An account whose endpoints all point at one scripted server.</summary>
    public static EmailAccount Account(int port, MailTlsMode imapTls = MailTlsMode.Implicit, MailTlsMode pop3Tls = MailTlsMode.Implicit, MailTlsMode smtpTls = MailTlsMode.StartTls, string host = "127.0.0.1", string userName = Address, bool pop3 = true) =>
        new(Address, userName, ProviderName, new MailEndpoint(host, port, imapTls), pop3 ? new MailEndpoint(host, port, pop3Tls) : null, new MailEndpoint(host, port, smtpTls));

    public static CloudProvider Provider(AuthFlow flow) =>
        new(ProviderName, CloudService.MicrosoftAzure, CloudProviderType.Office365, "contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555",
            new ClientSecretCredential("not-a-real-secret"), CloudEnvironment.Global, flow, null, new Uri("https://login.microsoftonline.com"), false,
            CloudEnvironmentDefaults.GetDefaultScopes(CloudEnvironment.Global, flow));

    /// <summary>A token provider that hands out <paramref name="tokens"/> in order.</summary>
    public static Mock<ITokenProvider> Tokens(params string[] tokens) => TokenSequence([.. tokens.Select(Token)]);

    public static Mock<IEmailAccountStore> Accounts(params EmailAccount[] accounts)
    {
        var mock = new Mock<IEmailAccountStore>();
        mock.Setup(s => s.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string address, CancellationToken _) => ValueTask.FromResult(accounts.FirstOrDefault(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))));
        return mock;
    }

    public static Mock<ICloudProviderStore> Providers(AuthFlow flow)
    {
        var mock = new Mock<ICloudProviderStore>();
        mock.Setup(s => s.FindAsync(ProviderName, It.IsAny<CancellationToken>())).ReturnsAsync(Provider(flow));
        return mock;
    }

    public static IOptionsMonitor<MailConnectorOptions> Options(Action<MailConnectorOptions>? configure = null)
    {
        var options = new MailConnectorOptions
        {
            ServerCertificateValidationCallback = TestCertificate.TrustOnlyServer,
            Timeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return new StaticOptionsMonitor<MailConnectorOptions>(options);
    }

    /// <summary>An unsigned JSON Web Token carrying <paramref name="claims"/>, for the claims reader (servers in these tests do not check signatures).</summary>
    public static string Jwt(object claims) =>
        $"{Base64Url(new { alg = "RS256", typ = "JWT" })}.{Base64Url(claims)}.c2lnbmF0dXJl";

    /// <summary>A token provider that hands out the given tokens in order.</summary>
    public static Mock<ITokenProvider> TokenSequence(params AccessToken[] tokens)
    {
        var mock = new Mock<ITokenProvider>(MockBehavior.Strict);
        var sequence = mock.SetupSequence(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()));
        foreach (var token in tokens)
        {
            sequence = sequence.ReturnsAsync(token);
        }

        mock.Setup(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()))
            .Returns(ValueTask.CompletedTask);
        return mock;
    }

    public static string XOAuth2(string user, string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001"));

    public static string DecodeLastArgument(string line) => Encoding.UTF8.GetString(Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]));

    private static string Base64Url(object value) =>
        Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
