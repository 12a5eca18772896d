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
    private readonly Counter<long> _cacheHits;
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
        _cacheHits = Meter.CreateCounter<long>(
            ModernAuthTelemetry.CacheHitsInstrument, "{hit}", "Tokens handed out from the cache without waiting on the identity platform.");
        _failures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.FailuresInstrument, "{failure}", "Failures to obtain a token, by provider and error category.");
        _backgroundFailures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.BackgroundFailuresInstrument, "{failure}", "Unexpected failures of background token work (refresh timers, store change handling, logging).");
        _tokenCacheFailures = Meter.CreateCounter<long>(
            ModernAuthTelemetry.TokenCacheFailuresInstrument, "{failure}", "Calls to the shared token cache (reads, writes, locks) that failed or were skipped while it was failing; the SDK carried on from memory.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Counts a cache hit. Allocation-free: one tag whose value is an existing string.</summary>
    public void CacheHit(string providerName) =>
        _cacheHits.Add(1, new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, providerName));

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
}
