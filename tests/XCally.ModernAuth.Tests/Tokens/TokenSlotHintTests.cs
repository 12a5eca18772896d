using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

/// <summary>
/// The hot path reads the slot that last served an account object from the account itself: that hint must never serve a
/// token the lookup would not (another token provider's, a changed provider's, a refused one).
/// </summary>
public sealed class TokenSlotHintTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_OneAccountObjectOnTwoTokenProviders_EachServesItsOwnToken()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var first = new TokenProviderHarness(provider);
        using var second = new TokenProviderHarness(provider);
        var account = TestModels.Account(provider);

        var fromFirst = await first.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);
        var fromSecond = await second.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);

        Assert.NotEqual(fromFirst.Token, fromSecond.Token);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(fromFirst.Token, (await first.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel)).Token);
            Assert.Equal(fromSecond.Token, (await second.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel)).Token);
        }

        Assert.Equal(1, first.Endpoint.TokenRequestCount);
        Assert.Equal(1, second.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SameAccountObjectAfterTheSecretWasEdited_ServesTheNewClientsToken()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider);
        var account = TestModels.Account(provider);
        var before = await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);
        Assert.Equal(before.Token, (await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel)).Token);

        var newSecret = TestModels.NewSecret();
        harness.Endpoint.ExpectedClientSecret = newSecret;
        harness.Store.Set(TestModels.Provider(new ClientSecretCredential(newSecret), provider.Name, tenantId: provider.TenantId, clientId: provider.ClientId));
        var after = await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);

        Assert.NotEqual(before.Token, after.Token);
        Assert.Equal(after.Token, (await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel)).Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SameAccountObjectAfterTheTokenWasRefused_ServesANewToken()
    {
        var provider = TestModels.Provider(new ClientSecretCredential(TestModels.NewSecret()));
        using var harness = new TokenProviderHarness(provider);
        var account = TestModels.Account(provider);
        var refused = await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);

        await harness.TokenProvider.InvalidateAsync(account, MailProtocol.Imap, refused, Cancel);
        var next = await harness.TokenProvider.GetAccessTokenAsync(account, MailProtocol.Imap, Cancel);

        Assert.NotEqual(refused.Token, next.Token);
        Assert.Equal(2, harness.Endpoint.TokenRequestCount);
    }
}
