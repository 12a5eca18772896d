using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

public class DelegatedTokenCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FileCache_RestartedHost_ReadsTheSignInWithoutANewOne()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var first = environment.StartHost();
        await first.SignInAsync(environment.Agent);
        var token = await first.TokenAsync(environment.Agent);
        await first.Services.DisposeAsync();

        var restarted = environment.StartHost();
        var again = await restarted.TokenAsync(environment.Agent);

        Assert.Equal(token.Token, again.Token);
        environment.Time.Advance(TimeSpan.FromHours(2));
        using (var imap = await restarted.Connector.ConnectImapAsync(environment.Agent, Ct))
        {
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true, Ct);
        }

        Assert.Equal(1, environment.Emulator.Identity.Counters.AuthorizeRequests);
        var file = Assert.Single(System.IO.Directory.GetFiles(environment.CacheFolder, "*.bin"));
        AssertNotReadable(await File.ReadAllBytesAsync(file, Ct), token.Token);
        Assert.Empty(System.IO.Directory.GetFiles(environment.CacheFolder, "*.tmp"));
    }

    [Fact]
    public async Task FileCache_CorruptEntry_IsAMissThatIsLogged()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var first = environment.StartHost();
        await first.SignInAsync(environment.Agent);
        await first.Services.DisposeAsync();
        var file = Assert.Single(System.IO.Directory.GetFiles(environment.CacheFolder, "*.bin"));
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes, Ct);

        var restarted = environment.StartHost();
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => restarted.TokenAsync(environment.Agent));

        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.Contains(restarted.Logs.GetSnapshot(), record => record.Id.Id == 1301);
        await restarted.SignInAsync(environment.Agent);
        Assert.NotNull(await restarted.TokenAsync(environment.Agent));
    }

    [Fact]
    public async Task FileCache_OtherKeyRing_IsAMissNotACrash()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var first = environment.StartHost();
        await first.SignInAsync(environment.Agent);
        await first.Services.DisposeAsync();

        var elsewhere = environment.StartHost(builder => builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(environment.Folder, "other-keys"))));
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => elsewhere.TokenAsync(environment.Agent));

        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.Contains(elsewhere.Logs.GetSnapshot(), record => record.Id.Id == 1301);
    }

    [Fact]
    public async Task MemoryCache_RestartedHost_ForgetsTheSignIn()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var first = environment.StartHost(builder => builder.UseMemoryTokenCache());
        await first.SignInAsync(environment.Agent);
        Assert.NotNull(await first.TokenAsync(environment.Agent));

        var restarted = environment.StartHost(builder => builder.UseMemoryTokenCache());

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => restarted.TokenAsync(environment.Agent));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.False(System.IO.Directory.Exists(environment.CacheFolder));
    }

    [Fact]
    public async Task RedisCache_TwoInstances_ShareOneSignInAndRevocation()
    {
        using var redis = await RedisServer.StartAsync();
        await using var environment = await DelegatedEnvironment.StartAsync();
        void UseRedis(IModernAuthBuilder builder)
        {
            builder.Services.AddStackExchangeRedisCache(options => options.Configuration = redis.Configuration);
            builder.UseDistributedTokenCache();
        }

        var one = environment.StartHost(UseRedis);
        var two = environment.StartHost(UseRedis);

        // The sign-in starts on one instance and its callback lands on the other.
        var (code, state) = await one.BeginAndSignInAsync(environment.Agent);
        await two.Authorization.CompleteAsync(code, state, Ct);
        var fromTwo = await two.TokenAsync(environment.Agent);
        var fromOne = await one.TokenAsync(environment.Agent);

        Assert.Equal(fromTwo.Token, fromOne.Token);
        Assert.False(System.IO.Directory.Exists(environment.CacheFolder));
        for (var hour = 1; hour <= 3; hour++)
        {
            environment.Time.Advance(TimeSpan.FromHours(1));
            foreach (var host in new[] { one, two })
            {
                using var imap = await host.Connector.ConnectImapAsync(environment.Agent, Ct);
                Assert.True(imap.IsAuthenticated);
                await imap.DisconnectAsync(true, Ct);
            }
        }

        using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var server = connection.GetServer(connection.GetEndPoints().Single());
            // The account's entry, beside the marker by which the SDK notices a Redis that was emptied.
            var keys = server.Keys().Where(key => key != "xcally-modernauth-marker").ToArray();
            var entry = Assert.Single(keys);
            Assert.DoesNotContain(environment.Agent, entry.ToString(), StringComparison.OrdinalIgnoreCase);
            var stored = (byte[]?)await connection.GetDatabase().HashGetAsync(entry, "data");
            Assert.NotNull(stored);
            AssertNotReadable(stored, fromOne.Token);
        }

        await one.Authorization.RevokeAsync(await one.AccountAsync(environment.Agent), Ct);
        environment.Time.Advance(TimeSpan.FromHours(2));
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => two.TokenAsync(environment.Agent));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
    }

    private static void AssertNotReadable(byte[] stored, string token)
    {
        var text = Encoding.UTF8.GetString(stored);
        Assert.DoesNotContain("AccessToken", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RefreshToken", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..20], text, StringComparison.Ordinal);
    }
}
