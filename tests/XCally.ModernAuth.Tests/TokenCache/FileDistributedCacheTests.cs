using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Testing;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.TokenCache;

public sealed class FileDistributedCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "xcally-files-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetAsyncThenGetAsync_NewFolder_RoundTripsInAFileNamedByHash()
    {
        var cache = new FileDistributedCache(_folder);

        await cache.SetAsync("agent@contoso.com", [1, 2, 3], new DistributedCacheEntryOptions(), Ct);

        Assert.Equal([1, 2, 3], await cache.GetAsync("agent@contoso.com", Ct));
        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.DoesNotContain("agent", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}\\.bin$", Path.GetFileName(file));
    }

    [Fact]
    public async Task GetAsync_MissingKeyOrFolder_ReturnsNull()
    {
        var cache = new FileDistributedCache(_folder);

        Assert.Null(await cache.GetAsync("nobody", Ct));
        await cache.SetAsync("somebody", [1], new DistributedCacheEntryOptions(), Ct);
        Assert.Null(await cache.GetAsync("nobody", Ct));
    }

    [Fact]
    public async Task RemoveAsync_StoredKey_GoneAndRemovingAgainIsFine()
    {
        var cache = new FileDistributedCache(_folder);
        await cache.SetAsync("key", [9], new DistributedCacheEntryOptions(), Ct);

        await cache.RemoveAsync("key", Ct);
        await cache.RemoveAsync("key", Ct);

        Assert.Null(await cache.GetAsync("key", Ct));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task SetAsync_ConcurrentWritersAndReadersOnTwoInstances_ReadersSeeWholeEntriesOnlyAndNoTemporaryFileIsLeft()
    {
        var writer = new FileDistributedCache(_folder);
        var reader = new FileDistributedCache(_folder);
        await writer.SetAsync("key", Enumerable.Repeat((byte)0, 256 * 1024).ToArray(), new DistributedCacheEntryOptions(), Ct);

        var writes = Enumerable.Range(1, 40).Select(i => Task.Run(
            () => writer.SetAsync("key", Enumerable.Repeat((byte)i, 256 * 1024).ToArray(), new DistributedCacheEntryOptions(), Ct), Ct));
        var reads = Enumerable.Range(0, 40).Select(_ => Task.Run(
            async () =>
            {
                var bytes = await reader.GetAsync("key", Ct);
                Assert.NotNull(bytes);
                Assert.Equal(256 * 1024, bytes.Length);
                Assert.All(bytes, b => Assert.Equal(bytes[0], b));
            },
            Ct));
        await Task.WhenAll(writes.Concat(reads)).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Set_UnixFolder_CreatedForTheOwnerOnly()
    {
        var cache = new FileDistributedCache(_folder);

        cache.Set("key", [1], new DistributedCacheEntryOptions());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SetAsync_UnixEntry_WrittenForTheOwnerOnly()
    {
        var cache = new FileDistributedCache(_folder);

        await cache.SetAsync("key", [1], new DistributedCacheEntryOptions(), Ct);
        await cache.SetAsync("key", [2], new DistributedCacheEntryOptions(), Ct);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(_folder))));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Secure_ExistingFolderOpenToOthers_RestrictedWithItsFilesAndLoggedNamingIt()
    {
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        var old = Path.Combine(_folder, "old.bin");
        File.WriteAllBytes(old, [1]);
        File.SetUnixFileMode(old, (UnixFileMode)0b110_100_100);
        var logs = new FakeLogCollector();

        new FileDistributedCache(_folder, new FakeLogger<FileDistributedCacheTests>(logs)).Secure();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old));
        var record = Assert.Single(logs.GetSnapshot(), record => record.Id.Id == 1311);
        Assert.Contains(_folder, record.Message, StringComparison.Ordinal);
        Assert.Contains("0755", record.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
