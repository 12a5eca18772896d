namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// The cache hits of one cloud provider, counted where they happen and read when a metrics listener collects
/// (<see cref="TokenMetrics"/> publishes them as an observable counter): a hit adds one to the stripe of the processor it runs
/// on, each stripe on its own cache line, so that hits on several cores do not contend for one counter and a listener costs the
/// hot path an increment rather than a callback per hit.
/// </summary>
internal sealed class HitCounter
{
    // Longs per 64-byte cache line; the first line is left empty, next to the array's header.
    private const int Spacing = 8;
    private static readonly int Stripes = Environment.ProcessorCount;

    private readonly long[] _counts = new long[(Stripes + 1) * Spacing];

    public HitCounter(string providerName) => ProviderName = providerName;

    public string ProviderName { get; }

    /// <summary>Every hit counted so far.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (var stripe = 1; stripe <= Stripes; stripe++)
            {
                total += Volatile.Read(ref _counts[stripe * Spacing]);
            }

            return total;
        }
    }

    public void Increment() => Interlocked.Increment(ref _counts[((Thread.GetCurrentProcessorId() % Stripes) + 1) * Spacing]);
}
