using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Checks every cloud provider's secret and certificate at host start and then every <see cref="CredentialExpiryOptions.CheckInterval"/>
/// on the host's <see cref="TimeProvider"/>, so that a host running for months is warned weeks before the mail stops, and publishes
/// the days left as the gauge <c>xcally.modernauth.credential.days_left</c> (tagged by provider and credential kind).
/// </summary>
internal sealed partial class CredentialExpiryMonitor : IHostedService, IDisposable
{
    public const string DaysLeftInstrument = "xcally.modernauth.credential.days_left";
    public const string CredentialKindTag = "xcally.modernauth.credential.kind";

    private readonly ICloudProviderStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly CredentialExpiryOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private volatile IReadOnlyList<(string Provider, CredentialExpiry Expiry)> _watched = [];
    private ITimer? _timer;
    private int _checking;
    private int _checks;

    public CredentialExpiryMonitor(
        ICloudProviderStore store,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        IOptions<CredentialExpiryOptions> options,
        ILogger<CredentialExpiryMonitor> logger)
    {
        _store = store;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(
            DaysLeftInstrument,
            Observe,
            "d",
            "Whole days until each cloud provider's client secret or certificate expires (negative once expired), as of the last check.");
    }

    /// <summary>How many checks have completed (for tests).</summary>
    internal int Checks => Volatile.Read(ref _checks);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _timeProvider.CreateTimer(static state => ((CredentialExpiryMonitor)state!).OnTimer(), this, TimeSpan.Zero, _options.CheckInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Checks every provider now: reads the store, logs what expires within the window, and refreshes the gauge.</summary>
    internal async Task CheckAsync()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            var providers = await _store.ListAsync(_stopping.Token).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var watched = new List<(string, CredentialExpiry)>();
            foreach (var provider in providers)
            {
                if (CredentialExpiry.Of(provider.Credential) is not { } expiry)
                {
                    continue;
                }

                watched.Add((provider.Name, expiry));
                if (expiry.ExpiresOn <= now)
                {
                    LogExpired(provider.Name, expiry.What, expiry.ExpiresOn, expiry.Renewal(provider.Name));
                }
                else if (expiry.ExpiresOn - now <= _options.WarningWindow)
                {
                    LogExpiresSoon(provider.Name, expiry.What, expiry.ExpiresOn, expiry.DaysLeft(now), expiry.Renewal(provider.Name));
                }
            }

            _watched = watched;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            _metrics.BackgroundFailure(ModernAuthTelemetry.NoProvider);
            LogCheckFailed(exception);
        }
        finally
        {
            Interlocked.Increment(ref _checks);
            Volatile.Write(ref _checking, 0);
        }
    }

    private void OnTimer() => _ = CheckAsync();

    private IEnumerable<Measurement<int>> Observe()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (provider, expiry) in _watched)
        {
            yield return new Measurement<int>(
                expiry.DaysLeft(now),
                new KeyValuePair<string, object?>(ModernAuthTelemetry.ProviderTag, provider),
                new KeyValuePair<string, object?>(CredentialKindTag, expiry.Kind));
        }
    }

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "The {Credential} of cloud provider '{CloudProvider}' expires on {ExpiresOn:yyyy-MM-dd}, in {DaysLeft} days; {Renewal}")]
    private partial void LogExpiresSoon(string cloudProvider, string credential, DateTimeOffset expiresOn, int daysLeft, string renewal);

    [LoggerMessage(EventId = 117, Level = LogLevel.Error, Message = "The {Credential} of cloud provider '{CloudProvider}' expired on {ExpiresOn:yyyy-MM-dd}: no token can be obtained with it; {Renewal}")]
    private partial void LogExpired(string cloudProvider, string credential, DateTimeOffset expiresOn, string renewal);

    [LoggerMessage(EventId = 118, Level = LogLevel.Warning, Message = "The daily check of the cloud providers' credential expiry could not read the providers; it runs again at the next interval")]
    private partial void LogCheckFailed(Exception exception);
}
