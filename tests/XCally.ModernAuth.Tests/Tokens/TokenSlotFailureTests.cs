using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

/// <summary>The token path when the identity platform or the host misbehaves: outages, throttling, loggers that throw, disposal.</summary>
public sealed class TokenSlotFailureTests : IDisposable
{
    private static readonly ModernAuthException Unavailable = new(ModernAuthErrorCategory.Transient, "The identity platform answered 503.");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TokenMetrics _metrics = new();
    private readonly FakeTokenAcquirer _acquirer = new();
    private int _issued;
    private int _calls;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task AcquireAsync_LoggerThrows_WaitersGetTheirTokenAndTimersNeverThrow()
    {
        using var failures = new MetricCollector<long>(_metrics.Meter, ModernAuthTelemetry.BackgroundFailuresInstrument);
        Respond(_ => Token(TimeSpan.FromHours(1)));
        using var slot = new TokenSlot(_acquirer, _time, _metrics, new ThrowingLogger());

        var token = await slot.AcquireAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        // The refresh timer fires inside Advance (15 to 45 minutes in: half the lifetime, ±50%): a callback that threw would
        // surface here.
        _time.Advance(TimeSpan.FromMinutes(46));
        await WaitUntilAsync(() => _calls == 2 && slot.TryGetCached(out var refreshed) && refreshed.Token != token.Token, "the refresh completed");
        Assert.True(failures.GetMeasurementSnapshot().Count >= 2);
    }

    [Fact]
    public async Task AcquireAsync_LoggerThrowsOnFailure_WaitersGetTheModernAuthException()
    {
        Respond(_ => throw Unavailable);
        using var slot = new TokenSlot(_acquirer, _time, _metrics, new ThrowingLogger());

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => slot.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), Cancel));

        Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
    }

    [Fact]
    public async Task AcquireAsync_OwnerShutsDownDuringRequest_WaitersGetObjectDisposedException()
    {
        using var shutdown = new CancellationTokenSource();
        _acquirer.Acquire = (_, token) => Task.Delay(Timeout.Infinite, token).ContinueWith<AccessToken>(
            task => throw new OperationCanceledException(token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        using var slot = new TokenSlot(_acquirer, _time, _metrics, NullLogger.Instance, new TokenSlotSettings(shutdown.Token, int.MaxValue, null));

        // A caller without a cancellation token of its own must not see a cancellation it never asked for.
        var waiting = slot.AcquireAsync(CancellationToken.None);
        await shutdown.CancelAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), Cancel));
    }

    [Fact]
    public async Task AcquireAsync_ClosedDuringRequest_WaitersStillGetTheToken()
    {
        var release = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Acquire = (_, _) => release.Task;
        using var slot = NewSlot();

        var waiting = slot.AcquireAsync(CancellationToken.None);
        slot.Close();
        release.SetResult(Token(TimeSpan.FromHours(1)));

        Assert.NotNull(await waiting.WaitAsync(TimeSpan.FromSeconds(10), Cancel));
        Assert.False(slot.TryGetCached(out _));
        await Assert.ThrowsAsync<TokenSlotClosedException>(() => slot.AcquireAsync(Cancel));
    }

    [Fact]
    public async Task BackgroundRefresh_ThrottledAndTimerFiresAHairEarly_IsArmedAgainAndResumes()
    {
        // The monotonic clock lags the timers by a tick, as a real timer may fire a hair before the deadline it was set for.
        var lagging = new LaggingTimestampTimeProvider(_time);
        var throttled = new ModernAuthException(ModernAuthErrorCategory.Throttled, "HTTP 429.") { RetryAfter = TimeSpan.FromSeconds(30) };
        Respond(call => call is 2 or 3 ? throw throttled : Token(TimeSpan.FromHours(1)));
        // The low end of every jitter: the retry comes at Retry-After itself, where a timer firing a hair early matters.
        using var failures = new MetricCollector<long>(_metrics.Meter, ModernAuthTelemetry.FailuresInstrument);
        using var slot = new TokenSlot(_acquirer, lagging, _metrics, NullLogger.Instance, TokenSlotSettings.Default with { NextRandom = () => 0 });
        var first = await slot.AcquireAsync(Cancel);

        // Each 429 is handled (its back-off set and the retry armed, on the fake clock) before the clock moves on: the failure
        // is counted after that. Waiting for the call alone let the clock move first and the retry fall beyond the test's steps.
        _time.Advance(TimeSpan.FromMinutes(33));
        await WaitUntilAsync(() => _calls == 2 && failures.GetMeasurementSnapshot().Count == 1, "the first refresh was throttled");

        // After every 429 the refresh resumes once Retry-After has passed, and only then.
        _time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50, Cancel);
        Assert.Equal(2, _calls);
        _time.Advance(TimeSpan.FromSeconds(1.1));
        await WaitUntilAsync(() => _calls == 3 && failures.GetMeasurementSnapshot().Count == 2, "the second attempt was sent after Retry-After");
        _time.Advance(TimeSpan.FromSeconds(31));
        await WaitUntilAsync(() => _calls == 4, "the third attempt was sent after Retry-After");

        await WaitUntilAsync(() => slot.TryGetCached(out var refreshed) && refreshed.Token != first.Token, "the refreshed token is served");
    }

    [Fact]
    public async Task TryGetCached_IdentityPlatformDown_ServesTokenUntilShortlyBeforeRealExpiry()
    {
        // A 60 s token: normally handed out until 45 s (a quarter before expiry); while no new one can be had, until 54 s.
        Respond(call => call == 1 ? Token(TimeSpan.FromSeconds(60)) : throw Unavailable);

        // The low end of every jitter: the refresh at 15 s, each retry at its back-off.
        using var failures = new MetricCollector<long>(_metrics.Meter, ModernAuthTelemetry.FailuresInstrument);
        using var slot = NewSlot(random: 0);
        await slot.AcquireAsync(Cancel);

        // The failure is counted once it was handled (the token kept as a last resort): only then may the clock move on.
        _time.Advance(TimeSpan.FromSeconds(33));
        await WaitUntilAsync(() => _calls == 2 && failures.GetMeasurementSnapshot().Count == 1, "the background refresh failed");
        _time.Advance(TimeSpan.FromSeconds(17));

        Assert.True(slot.TryGetCached(out var served), "A valid token was withheld at 50 s while no new one could be had.");
        _time.Advance(TimeSpan.FromSeconds(4.5));
        Assert.False(slot.TryGetCached(out _));
        Assert.True(served.ExpiresOn > _time.GetUtcNow());
    }

    [Fact]
    public async Task AcquireAsync_NoTokenLeftDuringOutage_AtMostOneRequestPerBackoff()
    {
        Respond(_ => throw Unavailable);
        using var slot = NewSlot();
        var failures = 0;

        // Two minutes of callers, ten a second.
        for (var step = 0; step < 1200; step++)
        {
            var error = await Assert.ThrowsAsync<ModernAuthException>(() => slot.AcquireAsync(Cancel));
            Assert.Equal(ModernAuthErrorCategory.Transient, error.Category);
            failures++;
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Back-off 5, 10, 20, 40, 80 s (±10%): the first request and at most five more in two minutes.
        Assert.Equal(1200, failures);
        Assert.InRange(_calls, 4, 6);
    }

    [Fact]
    public async Task AcquireAsync_HeldAfterFailure_SaysNoTokenIsLeftAndWhenTheNextRequestGoes()
    {
        Respond(_ => throw Unavailable);
        using var slot = NewSlot();
        await Assert.ThrowsAsync<ModernAuthException>(() => slot.AcquireAsync(Cancel));
        _time.Advance(TimeSpan.FromSeconds(1));

        var held = await Assert.ThrowsAsync<ModernAuthException>(() => slot.AcquireAsync(Cancel));

        Assert.Equal(1, _calls);
        Assert.Contains("No valid token is left", held.Message, StringComparison.Ordinal);
        Assert.NotNull(held.RetryAfter);
        Assert.InRange(held.RetryAfter.Value, TimeSpan.FromSeconds(3.4), TimeSpan.FromSeconds(4.6));
    }

    [Fact]
    public async Task TryGetCached_WallClockMovedOnWhileSuspended_TokenNotHandedOutOnceTheWallClockIsReadAgain()
    {
        // After a virtual machine is suspended the monotonic clock has not moved, but the token's real time has passed. Hits read
        // the wall clock once per WallClockCheckInterval of monotonic time.
        var suspendable = new SuspendableTimeProvider(_time);
        Respond(call => call == 1 ? Token(TimeSpan.FromHours(1)) : throw Unavailable);
        using var slot = new TokenSlot(_acquirer, suspendable, _metrics, NullLogger.Instance);
        await slot.AcquireAsync(Cancel);
        Assert.True(slot.TryGetCached(out _));

        suspendable.Suspend(TimeSpan.FromHours(2));
        _time.Advance(CachedTokenEntry.WallClockCheckInterval);

        Assert.False(slot.TryGetCached(out _));
    }

    [Fact]
    public async Task AcquireAsync_WallClockMovedOnWhileSuspended_DoesNotServeTheExpiredToken()
    {
        // The slow path reads both clocks at once: right after the resume, a caller that missed gets no expired token.
        var suspendable = new SuspendableTimeProvider(_time);
        Respond(call => call == 1 ? Token(TimeSpan.FromHours(1)) : throw Unavailable);
        using var slot = new TokenSlot(_acquirer, suspendable, _metrics, NullLogger.Instance);
        await slot.AcquireAsync(Cancel);

        suspendable.Suspend(TimeSpan.FromHours(2));

        await Assert.ThrowsAsync<ModernAuthException>(() => slot.AcquireAsync(Cancel));
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task OnRefreshDue_TokenUnusedForIdleLimit_StopsRefreshingAndReportsIdle()
    {
        Respond(_ => Token(TimeSpan.FromHours(1)));
        var idle = new TaskCompletionSource<TokenSlot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slot = new TokenSlot(_acquirer, _time, _metrics, NullLogger.Instance, new TokenSlotSettings(CancellationToken.None, 3, s => idle.TrySetResult(s)));
        await slot.AcquireAsync(Cancel);

        for (var hour = 0; hour < 24 && !idle.Task.IsCompleted; hour++)
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            await Task.Delay(20, Cancel);
        }

        Assert.Same(slot, await idle.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel));

        // The acquiring call counts as a use, then three unused periods: three more refreshes at most, then none.
        var calls = _calls;
        Assert.InRange(calls, 3, 4);
        _time.Advance(TimeSpan.FromHours(24));
        await Task.Delay(50, Cancel);
        Assert.Equal(calls, _calls);
    }

    [Fact]
    public async Task OnRefreshDue_UsedAfterEveryOtherRefresh_NeverIdle()
    {
        // Unused for one refresh period at a time, over and over: never the limit's three periods in a row.
        Respond(_ => Token(TimeSpan.FromHours(1)));
        var idle = new TaskCompletionSource<TokenSlot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slot = new TokenSlot(
            _acquirer, _time, _metrics, NullLogger.Instance, new TokenSlotSettings(CancellationToken.None, 3, s => idle.TrySetResult(s)) { NextRandom = () => 0.5 });
        await slot.AcquireAsync(Cancel);

        for (var period = 1; period <= 12; period++)
        {
            // To the next refresh, a minute at a time (the refresh timer is armed once the previous one has completed). Nothing
            // here reads the slot, which would count as a use.
            var before = _calls;
            for (var minute = 0; minute < 90 && _calls == before && !idle.Task.IsCompleted; minute++)
            {
                _time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(5, Cancel);
            }

            Assert.True(_calls > before || idle.Task.IsCompleted, $"Refresh {period} never came.");
            await Task.Delay(50, Cancel);
            if (period % 2 == 0)
            {
                // A caller between this refresh and the next one.
                Assert.True(slot.TryGetCached(out _));
            }
        }

        Assert.False(idle.Task.IsCompleted, "A slot used every other refresh period was dropped as idle.");
    }

    private void Respond(Func<int, AccessToken> respond) =>
        _acquirer.Acquire = (_, _) =>
        {
            var call = Interlocked.Increment(ref _calls);
            try
            {
                return Task.FromResult(respond(call));
            }
            catch (ModernAuthException exception)
            {
                return Task.FromException<AccessToken>(exception);
            }
        };

    private TokenSlot NewSlot(double? random = null) => new(
        _acquirer,
        _time,
        _metrics,
        NullLogger.Instance,
        random is { } fixedRandom ? TokenSlotSettings.Default with { NextRandom = () => fixedRandom } : null);

    private AccessToken Token(TimeSpan lifetime) =>
        new($"token-{Interlocked.Increment(ref _issued)}", _time.GetUtcNow() + lifetime, ["https://outlook.office365.com/.default"], TokenSource.IdentityProvider);

    private static Task WaitUntilAsync(Func<bool> condition, string what) => TokenProviderHarness.WaitUntilAsync(condition, what);

    /// <summary>A logger whose every write throws, as a broken log provider does.</summary>
    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("The log provider is broken.");
    }

    /// <summary>The fake clock with a monotonic timestamp one tick behind its timers.</summary>
    private sealed class LaggingTimestampTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp() - 1;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>The fake clock whose wall clock can jump ahead while its monotonic clock does not, as after a suspend.</summary>
    private sealed class SuspendableTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        private TimeSpan _suspended;

        public void Suspend(TimeSpan duration) => _suspended += duration;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + _suspended;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }
}
