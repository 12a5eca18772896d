using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// Collects every instrument of the <c>XCally.ModernAuth</c> meter as a metrics exporter does: each measurement is added to
/// the running sum of its instrument and tag set (OpenTelemetry's aggregation, without the export).
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, object? FirstTag), Sum> _sums = new();

    public MeterCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ModernAuthDefaults.TelemetryName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>How many measurements were collected.</summary>
    public long Measurements => _sums.Values.Sum(sum => sum.Count);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The tag set's aggregator, found by the instrument and its first tag (the provider's name on every instrument).
        var sum = _sums.GetOrAdd((instrument, tags.Length > 0 ? tags[0].Value : null), static _ => new Sum());
        sum.Add(value);
    }

    private sealed class Sum
    {
        private readonly object _gate = new();
        private long _count;
        private double _total;

        public long Count => Interlocked.Read(ref _count);

        public void Add(double value)
        {
            Interlocked.Increment(ref _count);
            lock (_gate)
            {
                _total += value;
            }
        }
    }
}
