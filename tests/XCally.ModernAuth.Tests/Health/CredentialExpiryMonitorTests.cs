using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.TestSupport;

namespace XCally.ModernAuth.Tests.Health;

/// <summary>The daily check of the providers' credentials in a long-running host, on a fake clock.</summary>
public sealed class CredentialExpiryMonitorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_SecretExpiringLater_WarnsOnceItEntersTheWindowAndPublishesDaysLeft()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestConfiguration.ValidProvider();
        options.SecretExpiresOn = time.GetUtcNow().AddDays(40).AddHours(1);
        var provider = CloudProvider.Create("contoso", options);
        var store = new Mock<ICloudProviderStore>();
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([provider]);
        var logger = new FakeLogger<CredentialExpiryMonitor>();
        using var metrics = new TokenMetrics();
        using var monitor = new CredentialExpiryMonitor(store.Object, time, metrics, Options.Create(new CredentialExpiryOptions()), logger);
        using var daysLeft = new MetricCollector<int>(metrics.Meter, CredentialExpiryMonitor.DaysLeftInstrument);

        await monitor.StartAsync(Ct);
        await WaitForChecksAsync(monitor, 1);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);

        // Day by day, as a host running for weeks sees it: silent while more than 30 days are left, then a warning each day.
        for (var day = 1; day <= 11; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await WaitForChecksAsync(monitor, day + 1);
        }

        daysLeft.RecordObservableInstruments();

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("contoso", warning.Message, StringComparison.Ordinal);
        Assert.Contains("in 29 days", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.ClientSecret!, warning.Message, StringComparison.Ordinal);
        Assert.Equal(29, daysLeft.LastMeasurement!.Value);
        Assert.Equal("client_secret", daysLeft.LastMeasurement.Tags[CredentialExpiryMonitor.CredentialKindTag]);
        await monitor.StopAsync(Ct);
    }

    private static async Task WaitForChecksAsync(CredentialExpiryMonitor monitor, int checks)
    {
        // The timer's callback runs the check on the thread pool: wait for it, bounded generously for a loaded machine.
        for (var i = 0; i < 600 && monitor.Checks < checks; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(monitor.Checks >= checks, $"{monitor.Checks} checks ran, {checks} expected.");
    }
}
