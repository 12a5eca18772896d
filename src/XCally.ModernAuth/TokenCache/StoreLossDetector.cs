using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Distributed;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Notices that the shared store lost its data (a Redis restarted without persistence, a flushed database) even when this
/// instance made no call that failed meanwhile: a random marker is kept in the store and read every
/// <see cref="CheckInterval"/>. A marker that is gone, or that another instance replaced, means the store was emptied; then
/// this instance compares every entry it holds with the store (and writes back what the store lost).
/// </summary>
internal sealed class StoreLossDetector : IDisposable
{
    public const string MarkerKey = "xcally-modernauth-marker";

    /// <summary>How often the marker is read: one small read per instance, whatever the number of accounts.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly IDistributedCache _store;
    private readonly SharedCacheGuard _guard;
    private readonly Action _onLost;
    private readonly CancellationToken _shutdown;
    private readonly ITimer _timer;
    private byte[]? _seen;
    private int _checking;

    public StoreLossDetector(IDistributedCache store, SharedCacheGuard guard, TimeProvider timeProvider, Action onLost, CancellationToken shutdown)
    {
        _store = store;
        _guard = guard;
        _onLost = onLost;
        _shutdown = shutdown;
        _timer = timeProvider.CreateTimer(static state => ((StoreLossDetector)state!).OnDue(), this, TimeSpan.Zero, CheckInterval);
    }

    public bool IsBusy => Volatile.Read(ref _checking) != 0;

    public void Dispose() => _timer.Dispose();

    /// <summary>Reads the marker once (also run by the timer); reports a loss at most once per marker seen.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var (read, marker) = await _guard.TryAsync("read", token => _store.GetAsync(MarkerKey, token), cancellationToken).ConfigureAwait(false);
        if (!read)
        {
            return;
        }

        if (marker is null)
        {
            marker = RandomNumberGenerator.GetBytes(16);
            var (written, _) = await _guard.TryAsync(
                "write",
                async token =>
                {
                    await _store.SetAsync(MarkerKey, marker, new DistributedCacheEntryOptions(), token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            if (!written)
            {
                return;
            }
        }

        var previous = Interlocked.Exchange(ref _seen, marker);
        if (previous is not null && !previous.AsSpan().SequenceEqual(marker))
        {
            _onLost();
        }
    }

    private void OnDue()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await CheckAsync(_shutdown).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Shutdown, or a callback that threw: the next tick looks again.
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        });
    }
}
