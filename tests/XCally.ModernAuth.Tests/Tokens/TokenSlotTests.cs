using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

public sealed class TokenSlotTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TokenMetrics _metrics = new();
    private readonly FakeTokenAcquirer _acquirer = new();
    private int _issued;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task TryGetCached_TokenWithinExpiryMargin_IsNotHandedOut()
    {
        // The background refresh never completes, so the first token is the only one.
        var calls = 0;
        _acquirer.Acquire = (_, _) => Interlocked.Increment(ref calls) == 1 ? Task.FromResult(Token(TimeSpan.FromMinutes(10))) : new TaskCompletionSource<AccessToken>().Task;
        using var slot = NewSlot();
        await slot.AcquireAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(7.4));
        Assert.True(slot.TryGetCached(out var cached));
        Assert.Equal(TokenSource.Cache, cached.Source);

        _time.Advance(TimeSpan.FromMinutes(0.2));
        Assert.False(slot.TryGetCached(out _));
    }

    [Fact]
    public async Task AcquireAsync_FirstAcquisition_DoesNotForceRefreshButLaterOnesDo()
    {
        var forced = new List<bool>();
        _acquirer.Acquire = (replacing, _) =>
        {
            forced.Add(replacing is not null);
            return Task.FromResult(Token(TimeSpan.FromHours(1)));
        };
        using var slot = NewSlot();

        var first = await slot.AcquireAsync(TestContext.Current.CancellationToken);
        Assert.True(slot.Invalidate(first.Token));
        await slot.AcquireAsync(TestContext.Current.CancellationToken);

        Assert.Equal([false, true], forced);
    }

    [Fact]
    public async Task Invalidate_TokenAlreadyReplaced_LeavesCurrentAlone()
    {
        _acquirer.Acquire = (_, _) => Task.FromResult(Token(TimeSpan.FromHours(1)));
        using var slot = NewSlot();
        var first = await slot.AcquireAsync(TestContext.Current.CancellationToken);
        slot.Invalidate(first.Token);
        var second = await slot.AcquireAsync(TestContext.Current.CancellationToken);

        Assert.False(slot.Invalidate(first.Token));
        Assert.True(slot.TryGetCached(out var cached));
        Assert.Equal(second.Token, cached.Token);
    }

    [Fact]
    public async Task BackgroundRefresh_RepeatedFailures_BackOffExponentially()
    {
        var calls = 0;
        _acquirer.Acquire = (_, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromResult(Token(TimeSpan.FromHours(1)))
            : Task.FromException<AccessToken>(new ModernAuthException(ModernAuthErrorCategory.Transient, "Down."));

        // The low end of every jitter: the first refresh at a quarter of the lifetime, each retry at its back-off.
        using var slot = NewSlot(random: 0);
        await slot.AcquireAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(33));
        await WaitForCallsAsync(() => calls, 2);

        // Back-off of 5 s (±10%), then 10 s: nothing before, one attempt after each.
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(2, calls);
        _time.Advance(TimeSpan.FromSeconds(2));
        await WaitForCallsAsync(() => calls, 3);
        _time.Advance(TimeSpan.FromSeconds(8.5));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(3, calls);
        _time.Advance(TimeSpan.FromSeconds(3));
        await WaitForCallsAsync(() => calls, 4);

        Assert.True(slot.TryGetCached(out _));
    }

    [Fact]
    public async Task AcquireAsync_CallerCancels_SharedRequestContinuesForOthers()
    {
        var release = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Acquire = (_, _) => release.Task;
        using var slot = NewSlot();
        using var impatient = new CancellationTokenSource();

        var cancelled = slot.AcquireAsync(impatient.Token);
        var patient = slot.AcquireAsync(TestContext.Current.CancellationToken);
        impatient.Cancel();
        release.SetResult(Token(TimeSpan.FromHours(1)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.NotNull(await patient);
        Assert.Equal(1, _acquirer.Calls);
    }

    [Fact]
    public async Task BackgroundRefresh_FailsWhileTokenValid_RetrySpreadOverTheTimeLeftNeverPastSeventyPercent()
    {
        var calls = 0;
        _acquirer.Acquire = (_, _) => Interlocked.Increment(ref calls) == 2
            ? Task.FromException<AccessToken>(new ModernAuthException(ModernAuthErrorCategory.Transient, "Down."))
            : Task.FromResult(Token(TimeSpan.FromHours(1)));

        // The high end of every jitter: the first refresh at three quarters of the usable lifetime (about 45 min).
        using var slot = NewSlot(random: 0.999999);
        var first = await slot.AcquireAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(45));
        await WaitForCallsAsync(() => calls, 2);

        // Served until 30 s before expiry, about 14.5 min from now: the retry comes at 70% of that (about 10 min), not after
        // the 5 s back-off, so that tokens that failed together are not all refreshed together when the outage ends.
        var servedFor = first.ExpiresOn - TimeSpan.FromSeconds(30) - _time.GetUtcNow();
        _time.Advance((servedFor * 0.7) - TimeSpan.FromSeconds(5));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(2, calls);
        Assert.True(slot.TryGetCached(out var served));
        Assert.Equal(first.Token, served.Token);

        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitForCallsAsync(() => calls, 3);
        Assert.True(slot.TryGetCached(out var refreshed));
        Assert.NotEqual(first.Token, refreshed.Token);
    }

    private TokenSlot NewSlot(double? random = null) => new(
        _acquirer,
        _time,
        _metrics,
        NullLogger.Instance,
        random is { } fixedRandom ? TokenSlotSettings.Default with { NextRandom = () => fixedRandom } : null);

    private AccessToken Token(TimeSpan lifetime) =>
        new($"token-{Interlocked.Increment(ref _issued)}", _time.GetUtcNow() + lifetime, ["https://outlook.office365.com/.default"], TokenSource.IdentityProvider);

    private static async Task WaitForCallsAsync(Func<int> calls, int expected)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (calls() < expected)
        {
            Assert.True(Environment.TickCount64 < deadline, $"Expected {expected} acquisitions, saw {calls()}.");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        // Let the failure be recorded (and the next timer set) before time moves again.
        await Task.Delay(20, TestContext.Current.CancellationToken);
    }
}
