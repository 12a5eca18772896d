namespace XCally.ModernAuth.Internal;

/// <summary>
/// One asynchronous lock per key, within the process: the token cache's refreshes and write-backs of one entry take turns.
/// A key's semaphore lives only while someone holds or waits for it, so the memory is bounded by the work in progress.
/// </summary>
internal sealed class KeyedAsyncLock
{
    private readonly Dictionary<string, Holder> _holders = new(StringComparer.Ordinal);

    /// <summary>Waits for the key's lock; the returned handle releases it.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Holder holder;
        lock (_holders)
        {
            if (!_holders.TryGetValue(key, out holder!))
            {
                holder = new Holder();
                _holders[key] = holder;
            }

            holder.Users++;
        }

        try
        {
            await holder.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, holder);
            throw;
        }

        return new Release(this, key, holder);
    }

    /// <summary>How many keys have a semaphore now (for tests of the memory bound).</summary>
    internal int Count
    {
        get
        {
            lock (_holders)
            {
                return _holders.Count;
            }
        }
    }

    private void Leave(string key, Holder holder)
    {
        lock (_holders)
        {
            if (--holder.Users == 0)
            {
                _holders.Remove(key);
                holder.Semaphore.Dispose();
            }
        }
    }

    private sealed class Holder
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Release(KeyedAsyncLock owner, string key, Holder holder) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                holder.Semaphore.Release();
                owner.Leave(key, holder);
            }
        }
    }
}
