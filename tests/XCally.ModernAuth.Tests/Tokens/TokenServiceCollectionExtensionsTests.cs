using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

public sealed class TokenServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddXCallyModernAuth_TokenProvider_SendsThroughNamedHttpClient()
    {
        var secret = TestModels.NewSecret();
        var provider = TestModels.Provider(new ClientSecretCredential(secret));
        var endpoint = new TestTokenEndpoint { ExpectedClientId = provider.ClientId, ExpectedClientSecret = secret };
        var services = new ServiceCollection();
        services.AddXCallyModernAuth();
        services.AddSingleton<ICloudProviderStore>(new TestCloudProviderStore(provider));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        services.AddHttpClient(ModernAuthDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => endpoint);
        await using var container = services.BuildServiceProvider();

        var tokens = container.GetRequiredService<ITokenProvider>();
        var token = await tokens.GetAccessTokenAsync(TestModels.Account(provider), MailProtocol.Pop3, TestContext.Current.CancellationToken);

        Assert.IsType<TokenProvider>(tokens);
        Assert.Same(tokens, container.GetRequiredService<ITokenProvider>());
        Assert.Equal(endpoint.LastIssuedToken, token.Token);
        Assert.Equal(1, endpoint.TokenRequestCount);
    }

    [Fact]
    public void AddXCallyModernAuth_HostRegisteredProviderFirst_KeepsHosts()
    {
        var services = new ServiceCollection();
        var custom = new Moq.Mock<ITokenProvider>().Object;
        services.AddSingleton(custom);

        services.AddXCallyModernAuth();

        using var container = services.BuildServiceProvider();
        Assert.Same(custom, container.GetRequiredService<ITokenProvider>());
    }
}
