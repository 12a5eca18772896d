using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace XCally.ModernAuth.Tests.TokenCache;

/// <summary>
/// A distributed cache in memory that can be taken down (every call fails, as a stopped Redis does), emptied (a Redis
/// restarted without persistence) or made to hang, and counts the calls that reached it.
/// </summary>
internal sealed class TestDistributedCache : IDistributedCache
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _callsByKey = new(StringComparer.Ordinal);
    private int _calls;

    public bool Down { get; set; }

    public bool Hangs { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The calls for one key (the SDK also keeps a marker of its own in the store).</summary>
    public int CallsFor(string key) => _callsByKey.GetValueOrDefault(key);

    /// <summary>The keys of entries, without the SDK's marker.</summary>
    public IReadOnlyCollection<string> Keys => _entries.Keys.Where(key => key != XCally.ModernAuth.Internal.StoreLossDetector.MarkerKey).ToArray();

    public void Clear() => _entries.Clear();

    public byte[]? Peek(string key) => _entries.GetValueOrDefault(key);

    public void Put(string key, byte[] value) => _entries[key] = value;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await EnterAsync(key);
        return _entries.GetValueOrDefault(key);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await EnterAsync(key);
        _entries[key] = value;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await EnterAsync(key);
        _entries.TryRemove(key, out _);
    }

    private async Task EnterAsync(string key)
    {
        Interlocked.Increment(ref _calls);
        _callsByKey.AddOrUpdate(key, 1, (_, count) => count + 1);
        if (Hangs)
        {
            // Like a client that ignores cancellation and waits out its own long timeout.
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        if (Down)
        {
            throw new InvalidOperationException("It was not possible to connect to the redis server(s). (test)");
        }
    }
}
