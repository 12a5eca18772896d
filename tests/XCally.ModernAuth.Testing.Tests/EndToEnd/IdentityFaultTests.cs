namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>Every fault injected at the identity emulator surfaces through the SDK as the right category, with advice.</summary>
public class IdentityFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<int, ModernAuthErrorCategory> AadstsFaults => new()
    {
        { 7000215, ModernAuthErrorCategory.InvalidClientSecret },
        { 7000222, ModernAuthErrorCategory.ClientSecretExpired },
        { 700016, ModernAuthErrorCategory.ApplicationNotFound },
        { 90002, ModernAuthErrorCategory.TenantNotFound },
        { 65001, ModernAuthErrorCategory.ConsentRequired },
        { 70011, ModernAuthErrorCategory.InvalidScope },
        { 7000218, ModernAuthErrorCategory.InvalidClientConfiguration },
        { 700027, ModernAuthErrorCategory.InvalidClientCertificate },
    };

    [Theory]
    [MemberData(nameof(AadstsFaults))]
    public async Task GetAccessTokenAsync_InjectedAadstsError_CategoryAndAdvice(int code, ModernAuthErrorCategory expected)
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);
        host.Emulator.Identity.InjectFault(EmulatorFault.Aadsts(code));

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask());

        Assert.Equal(expected, error.Category);
        Assert.Equal($"AADSTS{code}", error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Advice));
        Assert.Equal(host.Support, error.AccountAddress);
        Assert.Equal("emulator", error.CloudProviderName);
        Assert.DoesNotContain(host.Emulator.ClientSecret.Value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessTokenAsync_Throttled_ThrottledWithRetryAfter()
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);
        host.Emulator.Identity.InjectFault(EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(1)));

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.Throttled, error.Category);
        Assert.NotNull(error.RetryAfter);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ServiceUnavailable_Transient()
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);
        host.Emulator.Identity.InjectFault(EmulatorFault.ServiceUnavailable(TimeSpan.FromSeconds(1)), times: 5);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ExpiredSecret_ClientSecretExpired()
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);
        host.Emulator.ClientSecret.ExpiresOn = host.EmulatorTime.GetUtcNow().AddDays(-1);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.ClientSecretExpired, error.Category);
        Assert.Equal("AADSTS7000222", error.ErrorCode);
    }

    [Fact]
    public async Task GetAccessTokenAsync_SecretIdInsteadOfValue_InvalidClientSecretNamingTheMistake()
    {
        await using var host = await EmulatorHost.StartAsync(builder =>
            builder.AddCloudProvider("emulator", provider => provider.ClientSecret = "wrong-" + Guid.NewGuid()));
        var account = await host.AccountAsync(host.Support);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct).AsTask());

        Assert.Equal(ModernAuthErrorCategory.InvalidClientSecret, error.Category);
        Assert.Contains("Value", error.Advice, StringComparison.Ordinal);
    }
}
