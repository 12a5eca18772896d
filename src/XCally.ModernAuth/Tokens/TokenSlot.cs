using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The fast path in front of one flow's token acquisition (one provider and scope set, later one user account):
/// <list type="bullet">
/// <item>a hit is a lock-free read of a volatile reference to an immutable entry: no lock, no allocation;</item>
/// <item>concurrent misses share one request (single flight), since MSAL takes no lock and N callers would send N requests;</item>
/// <item>a timer on the <see cref="TimeProvider"/> refreshes the token before expiry, so in steady state nobody waits;
/// a failed refresh keeps serving the still-valid token and retries with back-off;</item>
/// <item>after HTTP 429 no request is sent before Retry-After has passed.</item>
/// </list>
/// </summary>
internal sealed partial class TokenSlot : IDisposable
{
    private readonly ITokenAcquirer _acquirer;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ITimer _refreshTimer;
    private readonly CancellationTokenSource _stopping = new();

    // Everything below except _current is guarded by _gate, which only the slow path takes.
    private readonly object _gate = new();
    private volatile CachedTokenEntry? _current;
    private TaskCompletionSource<AccessToken>? _flight;
    private AccessToken? _lastObtained;
    private int _consecutiveFailures;
    private long _throttledUntilTimestamp;
    private ModernAuthException? _throttle;
    private bool _retired;

    public TokenSlot(ITokenAcquirer acquirer, TimeProvider timeProvider, TokenMetrics metrics, ILogger logger)
    {
        _acquirer = acquirer;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _refreshTimer = timeProvider.CreateTimer(
            static state => ((TokenSlot)state!).OnRefreshDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The cached token, if there is one that is not too close to expiry. Lock-free and allocation-free.</summary>
    public bool TryGetCached([NotNullWhen(true)] out AccessToken? token)
    {
        var entry = _current;
        if (entry is not null && _timeProvider.GetTimestamp() < entry.UsableUntilTimestamp)
        {
            token = entry.Token;
            return true;
        }

        token = null;
        return false;
    }

    /// <summary>The slow path: joins the request in flight or starts one.</summary>
    /// <param name="cancellationToken">Cancels this caller's wait, not the shared request.</param>
    public Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        if (TryGetCached(out var cached))
        {
            return Task.FromResult(cached);
        }

        var flight = JoinOrStartFlight();
        return cancellationToken.CanBeCanceled ? flight.WaitAsync(cancellationToken) : flight;
    }

    /// <summary>
    /// Drops the cached token if it is still <paramref name="refusedToken"/>, so the next call gets a new one. A token already
    /// replaced (by a refresh or an earlier invalidation) is left alone: concurrent invalidations cause one request.
    /// </summary>
    /// <returns>Whether the token was dropped.</returns>
    public bool Invalidate(string refusedToken)
    {
        lock (_gate)
        {
            var entry = _current;
            if (entry is null || !string.Equals(entry.Token.Token, refusedToken, StringComparison.Ordinal))
            {
                return false;
            }

            _current = null;
            _refreshTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>Stops background refreshes (the provider's configuration changed); a request in flight still completes for its callers.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            _refreshTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Retire();
        _refreshTimer.Dispose();

        // Cancelled, not disposed: a request still in flight reads its token.
        _stopping.Cancel();
    }

    private Task<AccessToken> JoinOrStartFlight()
    {
        TaskCompletionSource<AccessToken> flight;
        AccessToken? replacing;
        lock (_gate)
        {
            if (_flight is { } running)
            {
                return running.Task;
            }

            var now = _timeProvider.GetTimestamp();
            if (now < _throttledUntilTimestamp && _throttle is { } throttle)
            {
                var remaining = _timeProvider.GetElapsedTime(now, _throttledUntilTimestamp);
                _metrics.Failure(_acquirer.ProviderName, ModernAuthErrorCategory.Throttled);
                LogThrottledRequestHeld(_acquirer.ProviderName, remaining);
                return Task.FromException<AccessToken>(throttle.ForCaller(accountAddress: null, remaining));
            }

            flight = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flight = flight;

            // MSAL's cache only ever holds what this slot already has (or had, if refused): once a token was obtained, the
            // next one must be another.
            replacing = _lastObtained;
        }

        _ = RunFlightAsync(flight, replacing);
        return flight.Task;
    }

    private async Task RunFlightAsync(TaskCompletionSource<AccessToken> flight, AccessToken? replacing)
    {
        AccessToken token;
        try
        {
            token = await _acquirer.AcquireAsync(replacing, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            lock (_gate)
            {
                _flight = null;
            }

            flight.TrySetCanceled();
            return;
        }
        catch (Exception exception)
        {
            OnFlightFailed(flight, exception as ModernAuthException
                ?? new ModernAuthException(ModernAuthErrorCategory.Unknown, $"The token request of cloud provider '{_acquirer.ProviderName}' failed.", innerException: exception));
            return;
        }

        OnFlightSucceeded(flight, token);
    }

    private void OnFlightSucceeded(TaskCompletionSource<AccessToken> flight, AccessToken token)
    {
        var nowTimestamp = _timeProvider.GetTimestamp();
        var lifetime = token.ExpiresOn - _timeProvider.GetUtcNow();
        var usableFor = lifetime - TokenRefreshPolicy.Margin(lifetime);
        var refreshIn = token.RefreshOn - _timeProvider.GetUtcNow();
        var refreshDelay = TokenRefreshPolicy.RefreshDelay(lifetime, usableFor, refreshIn, Random.Shared.NextDouble());

        lock (_gate)
        {
            _lastObtained = token;
            _consecutiveFailures = 0;
            _flight = null;
            if (usableFor > TimeSpan.Zero)
            {
                _current = new CachedTokenEntry(token.WithSource(TokenSource.Cache), nowTimestamp + ToTimestampTicks(usableFor));
                if (!_retired)
                {
                    _refreshTimer.Change(refreshDelay, Timeout.InfiniteTimeSpan);
                }
            }
        }

        if (usableFor > TimeSpan.Zero)
        {
            LogTokenAcquired(_acquirer.ProviderName, TokenFingerprint.Of(token.Token), token.Source, token.ExpiresOn, refreshDelay);
        }
        else
        {
            LogTokenTooShortLived(_acquirer.ProviderName, lifetime);
        }

        flight.TrySetResult(token);
    }

    private void OnFlightFailed(TaskCompletionSource<AccessToken> flight, ModernAuthException error)
    {
        var now = _timeProvider.GetTimestamp();
        TimeSpan? retryIn = null;
        lock (_gate)
        {
            _flight = null;
            _consecutiveFailures++;
            if (error.Category == ModernAuthErrorCategory.Throttled && error.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            {
                _throttledUntilTimestamp = now + ToTimestampTicks(retryAfter);
                _throttle = error;
            }

            // While the current token is still usable, callers keep getting it and the refresh is retried in the background.
            if (!_retired && _current is { } entry && now < entry.UsableUntilTimestamp)
            {
                retryIn = TokenRefreshPolicy.Backoff(_consecutiveFailures, error.RetryAfter, Random.Shared.NextDouble());
                _refreshTimer.Change(retryIn.Value, Timeout.InfiniteTimeSpan);
            }
        }

        _metrics.Failure(_acquirer.ProviderName, error.Category);
        if (retryIn is { } wait)
        {
            LogRefreshFailed(error, _acquirer.ProviderName, error.Category, error.ErrorCode, wait);
        }
        else
        {
            LogAcquisitionFailed(error, _acquirer.ProviderName, error.Category, error.ErrorCode);
        }

        flight.TrySetException(error);
    }

    // Runs on the timer's thread (inside FakeTimeProvider.Advance in tests): log, then hand the work to the thread pool.
    private void OnRefreshDue()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return;
            }
        }

        LogRefreshStarting(_acquirer.ProviderName);
        ThreadPool.UnsafeQueueUserWorkItem(static slot => slot.RefreshInBackground(), this, preferLocal: false);
    }

    // The outcome is logged and counted by the flight itself; observe it so that a failure is not unobserved.
    private void RefreshInBackground() =>
        _ = JoinOrStartFlight().ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private long ToTimestampTicks(TimeSpan duration) => (long)(duration.TotalSeconds * _timeProvider.TimestampFrequency);
}
