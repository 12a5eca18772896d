using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// Collects every instrument of the <c>XCally.ModernAuth</c> meter as a metrics exporter's aggregation does (OpenTelemetry's
/// <c>AggregatorStore</c>, without the export): each instrument's store is the state the listener hands back with every
/// measurement, the tag set's running sum is found by its tag values, and the measurement is added with <see cref="Interlocked"/>
/// (a compare-and-swap loop for doubles), never under a lock. Observable instruments are read once a second, as an exporter
/// reads them on each export (OpenTelemetry's default is once a minute), and keep their last reported value.
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<InstrumentSums> _instruments = [];
    private readonly Timer _collect;

    public MeterCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ModernAuthDefaults.TelemetryName)
            {
                var sums = new InstrumentSums(instrument.IsObservable);
                _instruments.Add(sums);
                listener.EnableMeasurementEvents(instrument, sums);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) =>
        {
            var sums = (InstrumentSums)state!;
            if (sums.Observable)
            {
                // An observable counter reports its running total: the last value is the sum.
                sums.Find(tags).Set(value);
            }
            else
            {
                sums.Find(tags).Add(value);
            }
        });
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentSums)state!).Find(tags).Add(value));
        _listener.Start();
        _collect = new Timer(static state => ((MeterListener)state!).RecordObservableInstruments(), _listener, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The sum of every counter's values (each hit adds one) and the number of recorded durations, read now.</summary>
    public long Measurements
    {
        get
        {
            _listener.RecordObservableInstruments();
            return _instruments.Sum(instrument => instrument.Count);
        }
    }

    public void Dispose()
    {
        _collect.Dispose();
        _listener.Dispose();
    }

    /// <summary>One instrument's running sums, one per tag set (keyed by the values of its first two tags: provider, outcome or category).</summary>
    private sealed class InstrumentSums(bool observable)
    {
        public bool Observable { get; } = observable;

        private readonly ConcurrentDictionary<(object? First, object? Second), Sum> _sums = new();

        public long Count => _sums.Values.Sum(sum => sum.Count);

        public Sum Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = (tags.Length > 0 ? tags[0].Value : null, tags.Length > 1 ? tags[1].Value : null);
            return _sums.TryGetValue(key, out var sum) ? sum : _sums.GetOrAdd(key, static _ => new Sum());
        }
    }

    private sealed class Sum
    {
        private long _longTotal;
        private long _doubleCount;
        private double _doubleTotal;

        public long Count => Interlocked.Read(ref _longTotal) + Interlocked.Read(ref _doubleCount);

        // One atomic add, as OpenTelemetry's long sum does.
        public void Add(long value) => Interlocked.Add(ref _longTotal, value);

        public void Set(long value) => Interlocked.Exchange(ref _longTotal, value);

        public void Add(double value)
        {
            Interlocked.Increment(ref _doubleCount);
            double seen;
            do
            {
                seen = Volatile.Read(ref _doubleTotal);
            }
            while (Interlocked.CompareExchange(ref _doubleTotal, seen + value, seen) != seen);
        }
    }
}
