namespace XCally.ModernAuth.Tests.Tokens.Infrastructure;

/// <summary>Builds providers and accounts for token tests; secrets are random per test.</summary>
internal static class TestModels
{
    /// <summary>A host that is not Microsoft's, for providers that opt in (the way the emulator does).</summary>
    public static readonly Uri EmulatorHost = new("https://login.emulator.test");

    public static string NewSecret() => "Xy8Q~" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'a').Replace('/', 'b') + "Zz9";

    public static CloudProvider Provider(
        ProviderCredential credential,
        string? name = null,
        CloudEnvironment cloud = CloudEnvironment.Global,
        Uri? authorityHost = null,
        bool? allowNonMicrosoftAuthority = null,
        string? tenantId = null,
        string? clientId = null,
        IReadOnlyList<string>? scopes = null,
        AuthFlow flow = AuthFlow.AppOnly)
    {
        var host = authorityHost ?? EmulatorHost;
        return new CloudProvider(
            name ?? "contoso-" + Guid.NewGuid().ToString("N")[..8],
            CloudService.MicrosoftAzure,
            CloudProviderType.Office365,
            tenantId ?? Guid.NewGuid().ToString(),
            clientId ?? Guid.NewGuid().ToString(),
            credential,
            cloud,
            flow,
            redirectUri: null,
            host,
            allowNonMicrosoftAuthority ?? !CloudEnvironmentDefaults.IsMicrosoftAuthorityHost(host.Host),
            scopes ?? CloudEnvironmentDefaults.GetDefaultScopes(cloud, AuthFlow.AppOnly));
    }

    public static EmailAccount Account(CloudProvider provider, string address = "shared@contoso.example") =>
        new(address, address, provider.Name, imap: null, pop3: null, smtp: null);
}
