using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The fast path in front of one token acquisition (one provider, resource and, for delegated tokens, account):
/// <list type="bullet">
/// <item>a hit is a lock-free read of a volatile reference to an immutable entry: no lock, no allocation;</item>
/// <item>concurrent misses share one request (single flight), since MSAL takes no lock and N callers would send N requests;</item>
/// <item>a timer on the <see cref="TimeProvider"/> refreshes the token before expiry, so in steady state nobody waits;</item>
/// <item>after a failure no request is sent before a back-off (at least Retry-After) has passed; meanwhile the current token
/// is served up to shortly before its real expiry, and callers with no token left get the failure at once;</item>
/// <item>a token nobody asked for during <see cref="TokenSlotSettings.IdleRefreshLimit"/> refresh periods stops being refreshed
/// and the owner drops the slot.</item>
/// </list>
/// Waiters are completed before anything is logged, nothing is logged under the lock, and the timer's callbacks never throw.
/// </summary>
internal sealed partial class TokenSlot : IDisposable
{
    private readonly ITokenAcquirer _acquirer;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TokenSlotSettings _settings;
    private readonly ITimer _refreshTimer;
    private readonly Func<double> _random;
    private readonly ProviderBackoff? _providerBackoff;

    // Everything below except _current, _usedSinceRefresh and reads of _state is guarded by _gate, which only the slow path takes.
    private readonly object _gate = new();
    private volatile CachedTokenEntry? _current;
    private volatile bool _usedSinceRefresh;
    private TaskCompletionSource<AccessToken>? _flight;
    private AccessToken? _lastObtained;
    private int _consecutiveFailures;
    private long _holdUntilTimestamp;
    private ModernAuthException? _lastFailure;
    private int _idleRefreshes;
    private volatile SlotState _state;

    public TokenSlot(
        ITokenAcquirer acquirer,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        ILogger logger,
        TokenSlotSettings? settings = null,
        SlotPlace place = default,
        ProviderBackoff? providerBackoff = null)
    {
        Place = place;
        _providerBackoff = providerBackoff;
        _acquirer = acquirer;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _settings = settings ?? TokenSlotSettings.Default;
        _random = _settings.NextRandom ?? SharedRandom;
        _refreshTimer = timeProvider.CreateTimer(
            static state => ((TokenSlot)state!).OnRefreshDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private static readonly Func<double> SharedRandom = Random.Shared.NextDouble;

    private enum SlotState
    {
        Active,

        // Closed while a request was in flight: that request still completes for its callers, then the slot is closed.
        Closing,
        Closed,
    }

    public string ProviderName => _acquirer.ProviderName;

    /// <summary>Whether a token request is on its way (for tests that step a fake clock).</summary>
    internal bool HasRequestInFlight
    {
        get
        {
            lock (_gate)
            {
                return _flight is not null;
            }
        }
    }

    /// <summary>Where the slot belongs (default for a slot made on its own, as in tests).</summary>
    public SlotPlace Place { get; }

    /// <summary>Whether the slot was closed (dropped by its owner); a closed slot serves nothing.</summary>
    public bool IsClosed => _state != SlotState.Active;

    /// <summary>The cached token, if there is one that may be handed out now. Lock-free and allocation-free.</summary>
    public bool TryGetCached([NotNullWhen(true)] out AccessToken? token)
    {
        var entry = _current;
        if (entry is not null && entry.IsUsable(_timeProvider))
        {
            // Read before writing, so that the hot path does not write a shared cache line on every hit.
            if (!_usedSinceRefresh)
            {
                _usedSinceRefresh = true;
            }

            token = entry.Token;
            return true;
        }

        token = null;
        return false;
    }

    /// <summary>The slow path: the cached token if one became usable, the request in flight, or a new one.</summary>
    /// <param name="cancellationToken">Cancels this caller's wait, not the shared request.</param>
    /// <exception cref="ModernAuthException">No token could be obtained.</exception>
    /// <exception cref="TokenSlotClosedException">The slot was closed; the owner has (or makes) another.</exception>
    public Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        Task<AccessToken> result;
        Flight? started = null;
        TimeSpan? heldFor = null;
        var servedAsLastResort = false;
        lock (_gate)
        {
            if (_state != SlotState.Active)
            {
                return Task.FromException<AccessToken>(Closed());
            }

            // Checked again under the lock: a request that completed since the caller's miss must not be followed by another.
            var entry = _current;
            if (entry is not null && entry.IsUsableByBothClocks(_timeProvider))
            {
                _usedSinceRefresh = true;
                return Task.FromResult(entry.Token);
            }

            if (_flight is { } running)
            {
                result = running.Task;
            }
            else if (entry is not null && entry.IsWithinLastResort(_timeProvider) && IsHeldLocked())
            {
                // The identity platform cannot answer now (this slot's back-off, or its provider's while another slot probes);
                // the token is still valid, so it is served rather than nothing.
                _current = entry.ServedAsLastResort();
                _usedSinceRefresh = true;
                servedAsLastResort = true;
                result = Task.FromResult(entry.Token);
            }
            else if (HoldRemaining() is { } remaining)
            {
                heldFor = remaining;
                result = Task.FromException<AccessToken>(_lastFailure!.ForCaller(accountAddress: null, remaining, NoTokenLeft(remaining)));
            }
            else
            {
                started = StartFlightLocked(callerDriven: true);
                result = started.Value.Completion.Task;
            }
        }

        if (started is { } flight)
        {
            _ = RunFlightAsync(flight);
        }
        else if (heldFor is { } held)
        {
            Guard(() =>
            {
                _metrics.Failure(ProviderName, _lastFailure?.Category ?? ModernAuthErrorCategory.Unknown);
                LogRequestHeld(ProviderName, held);
            });
        }
        else if (servedAsLastResort)
        {
            Guard(() => LogServedAsLastResort(ProviderName, _current?.Token.ExpiresOn ?? default));
        }

        return cancellationToken.CanBeCanceled && !result.IsCompleted ? result.WaitAsync(cancellationToken) : result;
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

    /// <summary>
    /// Stops refreshes and serves nothing more; a request in flight still completes for its callers (the provider or account
    /// was changed, removed or signed in again, or nobody used the token). Later calls get <see cref="TokenSlotClosedException"/>.
    /// </summary>
    public void Close()
    {
        bool closed;
        lock (_gate)
        {
            if (_state != SlotState.Active)
            {
                return;
            }

            _current = null;
            _state = _flight is null ? SlotState.Closed : SlotState.Closing;
            closed = _state == SlotState.Closed;
            _refreshTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (closed)
        {
            _refreshTimer.Dispose();
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    // Shutdown (the owner's token cancelled) is ObjectDisposedException, as for any disposed service; otherwise the owner retries.
    private Exception Closed() => _settings.Shutdown.IsCancellationRequested
        ? new ObjectDisposedException(nameof(ITokenProvider), "The token provider was disposed (the host is shutting down).")
        : new TokenSlotClosedException();

    // This slot's own back-off first: the provider's is asked only when no own failure holds, since asking it may make this
    // slot the provider's probe (and the caller then sends the request).
    private bool IsHeldLocked() =>
        HoldRemaining() is not null || (_providerBackoff is { } shared && !shared.TryStartRefresh(out _));

    private TimeSpan? HoldRemaining()
    {
        var now = _timeProvider.GetTimestamp();
        return _lastFailure is not null && now < _holdUntilTimestamp ? _timeProvider.GetElapsedTime(now, _holdUntilTimestamp) : null;
    }

    private Flight StartFlightLocked(bool callerDriven)
    {
        var completion = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flight = completion;

        // MSAL's cache only ever holds what this slot already has (or had, if refused): once a token was obtained, the next one
        // must be another.
        return new Flight(completion, _lastObtained, callerDriven);
    }

    private async Task RunFlightAsync(Flight flight)
    {
        AccessToken token;
        try
        {
            token = await _acquirer.AcquireAsync(flight.Replacing, _settings.Shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_settings.Shutdown.IsCancellationRequested)
        {
            lock (_gate)
            {
                _flight = null;
                if (_state == SlotState.Closing)
                {
                    _state = SlotState.Closed;
                }
            }

            flight.Completion.TrySetException(Closed());
            return;
        }
        catch (Exception exception)
        {
            OnFlightFailed(flight, exception as ModernAuthException ?? new ModernAuthException(
                ModernAuthErrorCategory.Unknown,
                $"The token request of cloud provider '{ProviderName}' failed with {exception.GetType().Name}.",
                "See the inner exception.",
                exception));
            return;
        }

        try
        {
            OnFlightSucceeded(flight, token);
        }
        catch (Exception exception)
        {
            // Never reached in practice (the token's times are plain arithmetic); if it were, the waiters must not hang.
            lock (_gate)
            {
                _flight = null;
            }

            flight.Completion.TrySetResult(token);
            BackgroundFailed(exception);
        }
    }

    private void OnFlightSucceeded(Flight flight, AccessToken token)
    {
        _providerBackoff?.Succeeded();
        var lifetime = token.ExpiresOn - _timeProvider.GetUtcNow();
        var usableFor = lifetime - TokenRefreshPolicy.Margin(lifetime);
        var lastResortFor = lifetime - TokenRefreshPolicy.LastResortMargin(lifetime);
        var refreshIn = token.RefreshOn - _timeProvider.GetUtcNow();
        var refreshDelay = TokenRefreshPolicy.RefreshDelay(lifetime, usableFor, refreshIn, _random());
        var entry = usableFor > TimeSpan.Zero ? CachedTokenEntry.Create(token, _timeProvider, usableFor, lastResortFor) : null;

        bool closed;
        lock (_gate)
        {
            _flight = null;
            // The entry's copy (marked as cached) stands for the token: one object per token rather than two.
            _lastObtained = entry?.Token ?? token;
            _consecutiveFailures = 0;
            _lastFailure = null;
            _holdUntilTimestamp = 0;
            if (flight.CallerDriven)
            {
                _usedSinceRefresh = true;
                _idleRefreshes = 0;
            }

            closed = CompleteClosingLocked();
            if (!closed && entry is not null)
            {
                _current = entry;
                _refreshTimer.Change(refreshDelay, Timeout.InfiniteTimeSpan);
            }
        }

        // Waiters first: nothing below (a logger that throws) may keep them waiting.
        flight.Completion.TrySetResult(token);
        if (closed)
        {
            _refreshTimer.Dispose();
        }

        Guard(() =>
        {
            if (entry is not null)
            {
                LogTokenAcquired(ProviderName, TokenFingerprint.Of(token.Token), token.Source, token.ExpiresOn, refreshDelay);
            }
            else
            {
                LogTokenTooShortLived(ProviderName, lifetime);
            }
        });
    }

    private void OnFlightFailed(Flight flight, ModernAuthException error)
    {
        _providerBackoff?.Failed(error, _random());
        var wait = TimeSpan.Zero;
        var retryIn = TimeSpan.Zero;
        AccessToken? served = null;
        bool closed;
        lock (_gate)
        {
            _flight = null;
            _consecutiveFailures++;
            wait = TokenRefreshPolicy.Backoff(_consecutiveFailures, error.RetryAfter, _random());
            _holdUntilTimestamp = _timeProvider.GetTimestamp() + CachedTokenEntry.ToTimestampTicks(wait, _timeProvider);
            _lastFailure = error;

            closed = CompleteClosingLocked();
            if (!closed && _current is { } entry && entry.IsWithinLastResort(_timeProvider))
            {
                // Callers keep the still-valid token until shortly before its real expiry; the refresh is retried in the background,
                // spread over the time left so that the slots that failed together do not all come back at the end of one back-off.
                _current = entry.ServedAsLastResort();
                served = entry.Token;
                retryIn = TokenRefreshPolicy.RetryDelay(wait, entry.LastResortRemaining(_timeProvider), _random());
                _refreshTimer.Change(retryIn, Timeout.InfiniteTimeSpan);
            }
        }

        if (served is not null)
        {
            flight.Completion.TrySetResult(served);
        }
        else
        {
            flight.Completion.TrySetException(error.ForCaller(accountAddress: null, wait, NoTokenLeft(wait)));
        }

        if (closed)
        {
            _refreshTimer.Dispose();
        }

        Guard(() =>
        {
            _metrics.Failure(ProviderName, error.Category);
            if (served is not null)
            {
                LogRefreshFailed(error, ProviderName, error.Category, error.ErrorCode, served.ExpiresOn, retryIn);
            }
            else
            {
                LogAcquisitionFailed(error, ProviderName, error.Category, error.ErrorCode, wait);
            }
        });
    }

    private bool CompleteClosingLocked()
    {
        if (_state == SlotState.Closing)
        {
            _state = SlotState.Closed;
        }

        return _state == SlotState.Closed;
    }

    // Runs on the timer's thread (inside FakeTimeProvider.Advance in tests): decide under the lock, then hand the request to
    // the thread pool. Never throws.
    private void OnRefreshDue()
    {
        try
        {
            Flight? started = null;
            var idle = false;
            lock (_gate)
            {
                if (_state != SlotState.Active || _current is null)
                {
                    return;
                }

                if (HoldRemaining() is { } remaining)
                {
                    // A timer may fire a hair before the deadline it was set for: arm it again rather than lose the refresh.
                    _refreshTimer.Change(remaining + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
                    return;
                }

                // Idle means unused for IdleRefreshLimit refresh periods in a row: a use resets the count.
                var idleRefreshes = _usedSinceRefresh ? 0 : _idleRefreshes + 1;
                idle = idleRefreshes >= _settings.IdleRefreshLimit;
                if (!idle && _flight is null && _providerBackoff is { } shared && !shared.TryStartRefresh(out var sharedWait))
                {
                    // The provider's identity platform is failing and one refresh probes it: wait at a random point of the time the
                    // token is still served, so that the slots held together do not all come back at once. Not a refresh period.
                    _current = _current.ServedAsLastResort();
                    _refreshTimer.Change(TokenRefreshPolicy.HeldRefreshDelay(sharedWait, _current.LastResortRemaining(_timeProvider), _random()), Timeout.InfiniteTimeSpan);
                    return;
                }

                _idleRefreshes = idleRefreshes;
                _usedSinceRefresh = false;
                if (!idle && _flight is null)
                {
                    started = StartFlightLocked(callerDriven: false);
                }
            }

            if (idle)
            {
                _settings.OnIdle?.Invoke(this);
                Guard(() => LogIdle(ProviderName, _settings.IdleRefreshLimit));
            }
            else if (started is { } flight)
            {
                // The request is on its way before anything is logged: a logger that throws must not strand the flight.
                ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Slot.RunFlightAsync(state.Flight), (Slot: this, Flight: flight), preferLocal: false);
                Guard(() => LogRefreshStarting(ProviderName));
            }
        }
        catch (Exception exception)
        {
            BackgroundFailed(exception);
        }
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception)
        {
            BackgroundFailed(exception);
        }
    }

    private void BackgroundFailed(Exception exception)
    {
        _metrics.BackgroundFailure(ProviderName);
        try
        {
            LogBackgroundFailed(exception, ProviderName);
        }
        catch (Exception)
        {
            // The logger itself failed: counted above, nothing else can be done.
        }
    }

    private static string NoTokenLeft(TimeSpan wait) =>
        $"No valid token is left; the SDK sends the next request in {wait.TotalSeconds:0.#} s, not before.";

    private readonly record struct Flight(TaskCompletionSource<AccessToken> Completion, AccessToken? Replacing, bool CallerDriven);
}
