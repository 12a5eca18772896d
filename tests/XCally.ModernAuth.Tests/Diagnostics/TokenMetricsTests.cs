using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Tests.Diagnostics;

public sealed class TokenMetricsTests
{
    [Fact]
    public void Constructor_WithMeterFactory_CreatesMeterNamedAfterPackage()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new TokenMetrics(services.GetRequiredService<IMeterFactory>());
        using var failures = new MetricCollector<long>(metrics.Meter, ModernAuthTelemetry.FailuresInstrument);

        metrics.Failure("contoso", ModernAuthErrorCategory.ConsentRequired);

        Assert.Equal(ModernAuthDefaults.TelemetryName, metrics.Meter.Name);
        var measurement = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("contoso", measurement.Tags[ModernAuthTelemetry.ProviderTag]);
        Assert.Equal("ConsentRequired", measurement.Tags[ModernAuthTelemetry.CategoryTag]);
    }

    [Fact]
    public void CacheHit_WithListener_RunningTotalPerProvider()
    {
        using var metrics = new TokenMetrics();
        using var hits = new MetricCollector<long>(metrics.Meter, ModernAuthTelemetry.CacheHitsInstrument);

        metrics.CacheHit("a");
        metrics.CacheHit(metrics.HitsFor("a"));
        metrics.CacheHit("b");

        // An observable counter: the running totals per provider, read when the listener collects.
        hits.RecordObservableInstruments();
        var snapshot = hits.GetMeasurementSnapshot();
        Assert.Equal(2, Assert.Single(snapshot, m => (string?)m.Tags[ModernAuthTelemetry.ProviderTag] == "a").Value);
        Assert.Equal(1, Assert.Single(snapshot, m => (string?)m.Tags[ModernAuthTelemetry.ProviderTag] == "b").Value);

        metrics.CacheHit("a");
        hits.RecordObservableInstruments();
        Assert.Equal(3, hits.GetMeasurementSnapshot().Last(m => (string?)m.Tags[ModernAuthTelemetry.ProviderTag] == "a").Value);
    }
}
