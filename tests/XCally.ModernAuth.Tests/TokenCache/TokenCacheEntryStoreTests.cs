using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.TokenCache;

public sealed class TokenCacheEntryStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "xcally-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeLogCollector _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TokenCacheEntry Entry(string text) => new(DelegatedClientKind.Confidential, Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task WriteAsyncThenReadAsync_FileStorage_RoundTripsAndTheFileIsEncrypted()
    {
        var store = Create(TokenCacheStorage.File);

        await store.WriteAsync("key", new TokenCacheEntry(DelegatedClientKind.Public, Encoding.UTF8.GetBytes("{\"RefreshToken\":\"rt-secret\"}")), Ct);

        var read = await Create(TokenCacheStorage.File, sharedProvider: _provider).ReadAsync("key", Ct);
        Assert.NotNull(read);
        Assert.Equal(DelegatedClientKind.Public, read.ClientKind);
        Assert.Equal("{\"RefreshToken\":\"rt-secret\"}", Encoding.UTF8.GetString(read.MsalCache));
        var stored = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Assert.Single(Directory.GetFiles(_folder)), Ct));
        Assert.DoesNotContain("RefreshToken", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("rt-secret", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CorruptFile_MissLoggedNoThrow()
    {
        var store = Create(TokenCacheStorage.File);
        await store.WriteAsync("key", Entry("tokens"), Ct);
        await File.WriteAllBytesAsync(Assert.Single(Directory.GetFiles(_folder)), Encoding.UTF8.GetBytes("not protected"), Ct);

        Assert.Null(await Create(TokenCacheStorage.File, sharedProvider: _provider).ReadAsync("key", Ct));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1301);
    }

    [Fact]
    public async Task ReadAsync_OtherKeyRing_MissLogged()
    {
        await Create(TokenCacheStorage.File).WriteAsync("key", Entry("tokens"), Ct);

        Assert.Null(await Create(TokenCacheStorage.File, sharedProvider: new EphemeralDataProtectionProvider()).ReadAsync("key", Ct));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1301);
    }

    [Fact]
    public async Task ReadAsync_StoreUnreachable_ServesThisProcessCopyAndLogs()
    {
        var distributed = new Mock<IDistributedCache>();
        var store = Create(TokenCacheStorage.Distributed, distributed.Object);
        await store.WriteAsync("key", Entry("tokens"), Ct);
        distributed.Setup(d => d.GetAsync("key", It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("redis down"));

        var read = await store.ReadAsync("key", Ct);

        Assert.Equal("tokens", Encoding.UTF8.GetString(read!.MsalCache));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1302);
        distributed.Verify(d => d.SetAsync("key", It.Is<byte[]>(b => !Encoding.UTF8.GetString(b).Contains("tokens")), It.IsAny<DistributedCacheEntryOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ReadAsync_RemovedFromStoreByAnotherInstance_MissEvenWithAMemoryCopy()
    {
        var distributed = new Mock<IDistributedCache>();
        var store = Create(TokenCacheStorage.Distributed, distributed.Object);
        await store.WriteAsync("key", Entry("tokens"), Ct);
        distributed.Setup(d => d.GetAsync("key", It.IsAny<CancellationToken>())).ReturnsAsync((byte[]?)null);

        Assert.Null(await store.ReadAsync("key", Ct));
    }

    [Fact]
    public async Task MemoryStorage_WriteReadRemove_NoFolderTouched()
    {
        var store = Create(TokenCacheStorage.Memory);

        await store.WriteAsync("key", Entry("tokens"), Ct);
        Assert.NotNull(await store.ReadAsync("key", Ct));
        await store.RemoveAsync("key", Ct);

        Assert.Null(await store.ReadAsync("key", Ct));
        Assert.False(Directory.Exists(_folder));
        Assert.Equal("memory", store.Describe());
    }

    [Fact]
    public async Task DistributedStorage_NoCacheRegistered_InvalidConfigurationNamingTheFix()
    {
        var store = Create(TokenCacheStorage.Distributed);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => store.ReadAsync("key", Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, error.Category);
        Assert.Contains("AddStackExchangeRedisCache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WrongHeader_Null()
    {
        Assert.Null(TokenCacheEntry.TryParse([1, 2, 3, 4, 5]));
        Assert.Null(TokenCacheEntry.TryParse([]));
        var bytes = Entry("x").ToBytes();
        bytes[3] = 99;
        Assert.Null(TokenCacheEntry.TryParse(bytes));
    }

    private readonly IDataProtectionProvider _provider = new EphemeralDataProtectionProvider();

    private TokenCacheEntryStore Create(TokenCacheStorage storage, IDistributedCache? distributed = null, IDataProtectionProvider? sharedProvider = null)
    {
        var services = new ServiceCollection().AddSingleton(sharedProvider ?? _provider).AddSingleton<ModernAuthDataProtection>();
        if (distributed is not null)
        {
            services.AddSingleton(distributed);
        }

        return new TokenCacheEntryStore(
            Options.Create(new TokenCacheOptions { Storage = storage, Directory = _folder }),
            services.BuildServiceProvider(),
            new FakeLogger<TokenCacheEntryStore>(_logs));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
