using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Testing;
using XCally.ModernAuth.Testing.Tests.EndToEnd;

namespace XCally.ModernAuth.StackExchangeRedis.Tests;

/// <summary>App-only tokens in Redis (<see cref="TokenCacheOptions.CacheAppOnlyTokens"/>): an instance restarted during an identity-platform outage.</summary>
public sealed class AppOnlyTokenSharingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAccessTokenAsync_RestartedWhileIdentityPlatformRefusesEverything_ServesTheValidTokenFromRedis()
    {
        using var redis = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await ModernAuthEmulator.StartAsync(new ModernAuthEmulatorOptions { TimeProvider = time }, Ct);
        var keys = Path.Combine(Path.GetTempPath(), "xcally-apponly-keys-" + Guid.NewGuid().ToString("N"));
        var mailbox = emulator.Mailboxes.First(candidate => candidate.Owner is null).Address;

        AccessToken first;
        await using (var before = Host(emulator, redis, time, keys, shareAppOnlyTokens: true))
        {
            first = await before.GetRequiredService<ITokenProvider>().GetAccessTokenAsync(await Account(before, mailbox), MailProtocol.Imap, Ct);
        }

        emulator.Identity.InjectFault(EmulatorFault.ServiceUnavailable(), times: 1000);
        time.Advance(TimeSpan.FromMinutes(10));
        var requestsBefore = emulator.Identity.Counters.TokenRequests;
        await using var restarted = Host(emulator, redis, time, keys, shareAppOnlyTokens: true);
        var served = await restarted.GetRequiredService<ITokenProvider>().GetAccessTokenAsync(await Account(restarted, mailbox), MailProtocol.Imap, Ct);

        Assert.Equal(first.Token, served.Token);
        Assert.Equal(requestsBefore, emulator.Identity.Counters.TokenRequests);
        using (var imap = await restarted.GetRequiredService<IMailClientConnector>().ConnectImapAsync(mailbox, Ct))
        {
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true, Ct);
        }

        // Without the option the restarted instance has nothing to serve while the identity platform refuses.
        await using var withoutOption = Host(emulator, redis, time, keys, shareAppOnlyTokens: false);
        var error = await Assert.ThrowsAsync<ModernAuthException>(async () =>
            await withoutOption.GetRequiredService<ITokenProvider>().GetAccessTokenAsync(await Account(withoutOption, mailbox), MailProtocol.Imap, Ct));
        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
        Directory.Delete(keys, recursive: true);
    }

    private static async Task<EmailAccount> Account(IServiceProvider services, string address) =>
        await services.GetRequiredService<IEmailAccountStore>().FindAsync(address, Ct) ?? throw new InvalidOperationException(address);

    private static ServiceProvider Host(ModernAuthEmulator emulator, RedisServer redis, TimeProvider time, string keys, bool shareAppOnlyTokens)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.AddDataProtection().SetApplicationName("XCally.ModernAuth.AppOnlyTests").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddXCallyModernAuth()
            .UseEmulator(emulator)
            .UseRedisTokenCache(redis.Configuration)
            .ConfigureTokenCache(options => options.CacheAppOnlyTokens = shareAppOnlyTokens);
        return services.BuildServiceProvider();
    }
}
