namespace XCally.ModernAuth.Internal;

/// <summary>
/// Runs the token provider's store sweep on the thread pool, one at a time: a request made while a sweep runs makes one more
/// sweep after it, however many requests came in. A failed sweep is reported and the next request tries again.
/// </summary>
internal sealed class StoreSweeper(Func<Task> sweep, Action<Exception> onFailure)
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int RunningAndRequested = 2;

    private int _state;
    private int _completed;

    /// <summary>How many sweeps have finished (for tests).</summary>
    public int Completed => Volatile.Read(ref _completed);

    public void Request()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Idle when Interlocked.CompareExchange(ref _state, Running, Idle) == Idle:
                    ThreadPool.UnsafeQueueUserWorkItem(static sweeper => _ = sweeper.RunAsync(), this, preferLocal: false);
                    return;
                case Running when Interlocked.CompareExchange(ref _state, RunningAndRequested, Running) == Running:
                    return;
                case RunningAndRequested:
                    return;
            }
        }
    }

    private async Task RunAsync()
    {
        do
        {
            Volatile.Write(ref _state, Running);
            try
            {
                await sweep().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                try
                {
                    onFailure(exception);
                }
                catch (Exception)
                {
                    // Reporting failed too; the next request sweeps again.
                }
            }

            Interlocked.Increment(ref _completed);
        }
        while (Interlocked.CompareExchange(ref _state, Idle, Running) != Running);
    }
}
