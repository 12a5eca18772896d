using System.Diagnostics;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// Counts the SDK's token acquisitions in progress (its <c>AcquireToken</c> activities: MSAL's own retries and delays
/// included) and its requests to the identity platform, so that a step of fake time can wait until what it started is done.
/// </summary>
internal sealed class InFlightHandler : DelegatingHandler
{
    private readonly ActivityListener _listener;
    private int _acquiring;
    private int _sent;

    public InFlightHandler()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModernAuthDefaults.TelemetryName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStarted = _ => Interlocked.Increment(ref _acquiring),
            ActivityStopped = _ => Interlocked.Decrement(ref _acquiring),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>
    /// Waits until no acquisition is in progress and none started for a while: what a step of fake time started (timers hand
    /// their requests to the thread pool) has been answered. Bounded: a stuck request does not hang the run.
    /// </summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan bound)
    {
        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        var lastSent = -1;
        var quietSince = Environment.TickCount64;
        while (Environment.TickCount64 < deadline)
        {
            var sent = Sent;
            if (sent != lastSent || Volatile.Read(ref _acquiring) != 0)
            {
                lastSent = sent;
                quietSince = Environment.TickCount64;
            }
            else if (Environment.TickCount64 - quietSince >= quiet.TotalMilliseconds)
            {
                return;
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        return base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _listener.Dispose();
        }

        base.Dispose(disposing);
    }
}
