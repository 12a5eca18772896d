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
    public void CacheHit_WithListener_CountsPerProvider()
    {
        using var metrics = new TokenMetrics();
        using var hits = new MetricCollector<long>(metrics.Meter, ModernAuthTelemetry.CacheHitsInstrument);

        metrics.CacheHit("a");
        metrics.CacheHit("a");
        metrics.CacheHit("b");

        Assert.Equal(2, hits.GetMeasurementSnapshot().Count(m => (string?)m.Tags[ModernAuthTelemetry.ProviderTag] == "a"));
        Assert.Equal(3, hits.GetMeasurementSnapshot().EvaluateAsCounter());
    }
}
