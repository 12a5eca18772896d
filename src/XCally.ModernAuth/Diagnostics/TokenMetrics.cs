using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// The token provider's instruments on a <see cref="Meter"/> named <see cref="ModernAuthDefaults.TelemetryName"/>:
/// requests to the identity platform (by provider and outcome), cache hits, and failures by category.
/// </summary>
internal sealed class TokenMetrics : IDisposable
{
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly ObservableCounter<long> _cacheHits;
    private readonly ConcurrentDictionary<string, HitCounter> _hitCounters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Counter<long> _failures;
    private readonly Counter<long> _backgroundFailures;
    private readonly Counter<long> _tokenCacheFailures;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own without one.</summary>
    /// <param name="meterFactory">The host's meter factory (registered by <c>AddMetrics</c>), if any.</param>
    public TokenMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(ModernAuthDefaults.TelemetryName) ?? new Meter(ModernAuthDefaults.TelemetryName);
        _requests = Meter.CreateCounter<long>(
            ModernAuthTelemetry.TokenRequestsInstrument, "{request}", "Token requests sent to the identity platform, by provider and outcome.");
        _requestDuration = Meter.CreateHistogram<double>(
            ModernAuthTelemetry.TokenRequestDurationInstrument, "s", "Duration of token requests to the identity platform.");
        // Observable: hits are counted in place (HitCounter) and read when a listener collects, so that a metrics exporter does not
        // run a callback on every hit of the hot path.
        _cacheHits = Meter.CreateObservableCounter(
            ModernAuthTelemetry.CacheHitsInstrument, ObserveCacheHits, "{hit}", "Tokens handed out from the cache without waiting on the identity platform.");
        _failures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.FailuresInstrument, "{failure}", "Failures to obtain a token, by provider and error category.");
        _backgroundFailures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.BackgroundFailuresInstrument, "{failure}", "Unexpected failures of background token work (refresh timers, store change handling, logging).");
        _tokenCacheFailures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.TokenCacheFailuresInstrument, "{failure}", "Calls to the shared token cache (reads, writes, locks) that failed or were skipped while it was failing; the SDK carried on from memory.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>The hit counter of a provider (one per name, kept for the metrics' life: a counter never goes back).</summary>
    public HitCounter HitsFor(string providerName) => _hitCounters.GetOrAdd(providerName, static name => new HitCounter(name));

    /// <summary>Counts a cache hit, when a listener collects the instrument. Lock-free and allocation-free.</summary>
    public void CacheHit(HitCounter hits)
    {
        if (_cacheHits.Enabled)
        {
            hits.Increment();
        }
    }

    /// <summary>Counts a cache hit of the provider named <paramref name="providerName"/> (off the hot path: a lookup by name).</summary>
    public void CacheHit(string providerName)
    {
        if (_cacheHits.Enabled)
        {
            HitsFor(providerName).Increment();
        }
    }

    /// <summary>Counts a request that reached the identity platform and records its duration.</summary>
    public void Request(string providerName, string outcome, TimeSpan duration)
    {
        var provider = new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, providerName);
        var result = new KeyValuePair<string, object?>(ModernAuthTelemetry.OutcomeTag, outcome);
        _requests.Add(1, provider, result);
        _requestDuration.Record(duration.TotalSeconds, provider, result);
    }

    /// <summary>Counts a failure to obtain a token.</summary>
    public void Failure(string providerName, ModernAuthErrorCategory category) =>
        _failures.Add(
            1,
            new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, providerName),
            new KeyValuePair<string, object?>(ModernAuthTelemetry.CategoryTag, CategoryNames.Of(category)));

    /// <summary>Counts an unexpected failure of background work (a timer callback, a store sweep, a logger that threw).</summary>
    public void BackgroundFailure(string providerName) =>
        _backgroundFailures.Add(1, new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, providerName));

    /// <summary>Counts a call to the shared token cache that failed or was skipped by its circuit breaker.</summary>
    public void TokenCacheFailure(string operation) =>
        _tokenCacheFailures.Add(1, new KeyValuePair<string, object?>(ModernAuthTelemetry.OperationTag, operation));

    /// <inheritdoc />
    public void Dispose()
    {
        // A meter from the factory belongs to the factory, which disposes it with the container.
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObserveCacheHits()
    {
        foreach (var hits in _hitCounters.Values)
        {
            yield return new Measurement<long>(hits.Total, new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, hits.ProviderName));
        }
    }
}
