using XCally.ModernAuth.Samples.Worker;

namespace XCally.ModernAuth.Samples.Tests.State;

public sealed class JsonFileChannelStateStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"channel-state-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_NoFile_Null()
    {
        using var store = new JsonFileChannelStateStore(_path);

        Assert.Null(await store.GetAsync("support@contoso.com", Ct));
        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task SaveAsync_ThenNewStoreOnSameFile_StateOfEveryAccountResumed()
    {
        using (var first = new JsonFileChannelStateStore(_path))
        {
            await first.SaveAsync("support@contoso.com", new ChannelState(7, 41), Ct);
            await first.SaveAsync("sales@contoso.com", new ChannelState(9, 3), Ct);
            await first.SaveAsync("support@contoso.com", new ChannelState(7, 42), Ct);
        }

        using var second = new JsonFileChannelStateStore(_path);

        Assert.Equal(new ChannelState(7, 42), await second.GetAsync("SUPPORT@contoso.com", Ct));
        Assert.Equal(new ChannelState(9, 3), await second.GetAsync("sales@contoso.com", Ct));
        Assert.False(File.Exists(_path + ".tmp"));
    }

    [Fact]
    public async Task SaveAsync_ConcurrentAccounts_NoneLost()
    {
        using (var store = new JsonFileChannelStateStore(_path))
        {
            await Task.WhenAll(Enumerable.Range(1, 20).Select(i => store.SaveAsync($"agent{i}@contoso.com", new ChannelState(1, (uint)i), Ct).AsTask()));
        }

        using var reopened = new JsonFileChannelStateStore(_path);
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal((uint)i, (await reopened.GetAsync($"agent{i}@contoso.com", Ct))?.HighestHandledUid);
        }
    }

    public void Dispose()
    {
        File.Delete(_path);
        File.Delete(_path + ".tmp");
    }
}
