using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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
    public async Task ReadAsync_RevokedByAnotherInstance_MissEvenWithAMemoryCopy()
    {
        var shared = new TestDistributedCache();
        var one = Create(TokenCacheStorage.Distributed, shared);
        var two = Create(TokenCacheStorage.Distributed, shared);
        await one.WriteAsync("key", Entry("tokens"), Ct);
        Assert.NotNull(await two.ReadAsync("key", Ct));

        await two.RemoveAsync("key", Ct);

        Assert.Null(await one.ReadAsync("key", Ct));
        Assert.Null(one.PeekMemory("key"));
        Assert.NotNull(shared.Peek("key"));
    }

    [Fact]
    public async Task ReadAsync_StoreLostTheEntry_ServesTheMemoryCopyAndWritesItBack()
    {
        var shared = new TestDistributedCache();
        var store = Create(TokenCacheStorage.Distributed, shared);
        await store.WriteAsync("key", Entry("tokens"), Ct);
        await store.WriteAsync("other", Entry("other tokens"), Ct);
        shared.Clear();

        var read = await store.ReadAsync("key", Ct);

        Assert.Equal("tokens", Encoding.UTF8.GetString(read!.MsalCache));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1308);
        await FlushAsync(store);
        Assert.Equal(["key", "other"], shared.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("other tokens", Encoding.UTF8.GetString((await Create(TokenCacheStorage.Distributed, shared).ReadAsync("other", Ct))!.MsalCache));
    }

    [Fact]
    public async Task WriteAsync_StoreDown_DoesNotThrowKeepsTheMemoryCopyAndWritesAgainLater()
    {
        var shared = new TestDistributedCache { Down = true };
        var store = Create(TokenCacheStorage.Distributed, shared);

        await store.WriteAsync("key", Entry("rotated"), Ct);

        Assert.Equal("rotated", Encoding.UTF8.GetString(store.PeekMemory("key")!.MsalCache));
        Assert.Equal(1, store.PendingWrites);
        Assert.Equal(1, store.FailedWrites);
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1306);
        Assert.Equal("rotated", Encoding.UTF8.GetString((await store.ReadAsync("key", Ct))!.MsalCache));

        shared.Down = false;
        _time.Advance(TimeSpan.FromSeconds(16));
        await FlushAsync(store);

        Assert.Equal(0, store.PendingWrites);
        Assert.Equal("rotated", Encoding.UTF8.GetString((await Create(TokenCacheStorage.Distributed, shared).ReadAsync("key", Ct))!.MsalCache));
    }

    [Fact]
    public async Task ReadAsync_StoreFailingRepeatedly_BreakerStopsCallingItUntilTheBreakPassed()
    {
        var shared = new TestDistributedCache { Down = true };
        var store = Create(TokenCacheStorage.Distributed, shared);
        await store.WriteAsync("key", Entry("tokens"), Ct);
        await store.ReadAsync("key", Ct);
        var callsWhenOpened = shared.CallsFor("key");

        for (var i = 0; i < 50; i++)
        {
            Assert.NotNull(await store.ReadAsync("key", Ct));
        }

        // The write and the read (or only the write, when the SDK's marker read failed first): then the breaker is open.
        Assert.InRange(callsWhenOpened, 1, 2);
        Assert.Equal(callsWhenOpened, shared.CallsFor("key"));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1304);

        shared.Down = false;
        _time.Advance(TimeSpan.FromSeconds(16));
        Assert.NotNull(await store.ReadAsync("key", Ct));
        Assert.True(shared.CallsFor("key") > callsWhenOpened);
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1305);
    }

    [Fact]
    public async Task ReadAsync_StoreHangs_EachCallBoundedByTheTimeoutThenNoCallAtAll()
    {
        var shared = new TestDistributedCache();

        // The first write of a process compiles Data Protection's code, which alone can take longer than the 100 ms bound:
        // that write would then count as a failure and change what the breaker sees.
        await Create(TokenCacheStorage.Distributed, shared).WriteAsync("warm-up", Entry("tokens"), Ct);
        var store = Create(TokenCacheStorage.Distributed, shared, timeout: TimeSpan.FromMilliseconds(100));
        await store.WriteAsync("key", Entry("tokens"), Ct);
        shared.Hangs = true;

        var reads = new List<Task<TokenCacheEntry?>>();
        for (var i = 0; i < 10; i++)
        {
            reads.Add(store.ReadAsync("key", Ct));
            await reads[^1];
        }

        Assert.All(reads, read => Assert.Equal("tokens", Encoding.UTF8.GetString(read.Result!.MsalCache)));

        // The write (before it hung) and at most the first two reads reached it: the breaker opens once half the calls of at
        // least two failed (the SDK's marker read counts too), and kept the other reads away.
        Assert.InRange(shared.CallsFor("key"), 2, 3);
    }

    [Fact]
    public async Task WriteAgain_StoreHoldsANewerEntryFromAnotherInstance_TakesThatOneInsteadOfOverwritingIt()
    {
        var shared = new TestDistributedCache { Down = true };
        var behind = Create(TokenCacheStorage.Distributed, shared);
        await behind.WriteAsync("key", Entry("older"), Ct);
        shared.Down = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await Create(TokenCacheStorage.Distributed, shared).WriteAsync("key", Entry("newer"), Ct);

        _time.Advance(TimeSpan.FromSeconds(16));
        await FlushAsync(behind);

        Assert.Equal(0, behind.PendingWrites);
        Assert.Equal("newer", Encoding.UTF8.GetString(behind.PeekMemory("key")!.MsalCache));
        Assert.Equal("newer", Encoding.UTF8.GetString((await Create(TokenCacheStorage.Distributed, shared).ReadAsync("key", Ct))!.MsalCache));
        Assert.Contains(_logs.GetSnapshot(), record => record.Id.Id == 1309);
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
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<TokenCacheEntryStore> _stores = [];

    private TokenCacheEntryStore Create(
        TokenCacheStorage storage,
        IDistributedCache? distributed = null,
        IDataProtectionProvider? sharedProvider = null,
        TimeSpan? timeout = null)
    {
        var services = new ServiceCollection().AddSingleton(sharedProvider ?? _provider).AddSingleton<ModernAuthDataProtection>().AddSingleton<TimeProvider>(_time);
        if (distributed is not null)
        {
            services.AddSingleton(distributed);
        }

        var options = new TokenCacheOptions { Storage = storage, Directory = _folder };
        if (timeout is { } bound)
        {
            options.DistributedCacheTimeout = bound;
        }

        var store = new TokenCacheEntryStore(Options.Create(options), services.BuildServiceProvider(), new FakeLogger<TokenCacheEntryStore>(_logs));
        _stores.Add(store);
        return store;
    }

    // The retry timer hands its work to the thread pool: advance past one interval, then wait until nothing is pending.
    private async Task FlushAsync(TokenCacheEntryStore store)
    {
        _time.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 200 && store.PendingWrites > 0; i++)
        {
            await Task.Delay(10, Ct);
            if (i % 20 == 19)
            {
                _time.Advance(TimeSpan.FromSeconds(5));
            }
        }
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
