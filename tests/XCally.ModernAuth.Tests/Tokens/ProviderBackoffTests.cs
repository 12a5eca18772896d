using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Tokens.Infrastructure;

namespace XCally.ModernAuth.Tests.Tokens;

/// <summary>
/// The token slots of one provider share a back-off while its identity platform fails: one refresh probes per back-off step
/// instead of every slot retrying on its own, and every slot keeps serving its still-valid token meanwhile.
/// </summary>
public sealed class ProviderBackoffTests : IDisposable
{
    private const int SlotCount = 10;

    private static readonly ModernAuthException Unavailable = new(ModernAuthErrorCategory.Transient, "The identity platform answered 503.");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TokenMetrics _metrics = new();
    private int _issued;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task OnRefreshDue_IdentityPlatformDownForTenMinutes_OneProbePerBackoffStepAndEveryTokenStillServed()
    {
        using var failures = new MetricCollector<long>(_metrics.Meter, ModernAuthTelemetry.FailuresInstrument);
        var down = false;
        var backoff = new ProviderBackoff(_time);
        var acquirers = Enumerable.Range(0, SlotCount).Select(_ => new FakeTokenAcquirer()).ToArray();
        foreach (var acquirer in acquirers)
        {
            acquirer.Acquire = (_, _) => down ? Task.FromException<AccessToken>(Unavailable) : Task.FromResult(Token(TimeSpan.FromHours(1)));
        }

        // The low end of every jitter: all ten refreshes fall due at the same instant, and a slot on its own would retry at each
        // back-off (5 s, 10 s, ... 2 min): about 80 requests in ten minutes.
        var settings = TokenSlotSettings.Default with { NextRandom = () => 0 };
        var slots = acquirers.Select(acquirer => new TokenSlot(acquirer, _time, _metrics, NullLogger.Instance, settings, providerBackoff: backoff)).ToArray();
        try
        {
            var originals = new List<string>();
            foreach (var slot in slots)
            {
                originals.Add((await slot.AcquireAsync(Cancel)).Token);
            }

            // The refreshes fall due together and find the identity platform down: those sent before the first failure was
            // handled all go (up to ten); after it, one probe per back-off step.
            down = true;
            _time.Advance(TimeSpan.FromMinutes(15));
            await WaitUntilAsync(() => backoff.IsHolding && Settled(slots) && failures.GetMeasurementSnapshot().Count == Calls(acquirers) - SlotCount, "the refreshes failed");
            var atOutageStart = Calls(acquirers) - SlotCount;
            var perSecond = new List<int>();
            for (var second = 0; second < 600; second++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await WaitUntilAsync(() => Settled(slots) && failures.GetMeasurementSnapshot().Count == Calls(acquirers) - SlotCount, "every request was handled");
                Assert.All(slots, slot => Assert.True(slot.TryGetCached(out _), "A still-valid token was withheld during the outage."));
                perSecond.Add(Calls(acquirers) - SlotCount);
            }

            // 5 s, 10 s, 20 s, 40 s, 80 s, then every 2 min (jittered by 10%): nine probes in ten minutes, not one series per slot.
            var probes = Calls(acquirers) - SlotCount - atOutageStart;
            Assert.True(
                probes is >= 5 and <= 12,
                $"{atOutageStart} requests at the outage's start, then {probes} probes; requests so far by second: {string.Join(' ', perSecond.Distinct())}");
            Assert.InRange(atOutageStart, 1, SlotCount);
            Assert.True(backoff.IsHolding);

            // Recovery: the next probe succeeds, and every slot gets a new token with one request each.
            down = false;
            var callsAtRecovery = Calls(acquirers);
            for (var second = 0; second < 1800 && Refreshed(slots, originals) < SlotCount; second++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await WaitUntilAsync(() => Settled(slots) && Refreshed(slots, originals) == Calls(acquirers) - callsAtRecovery, "every refresh was handled");
            }

            Assert.All(slots.Select((slot, index) => (slot, index)), pair => Assert.False(IsOriginal(pair.slot, originals[pair.index])));
            Assert.Equal(SlotCount, Calls(acquirers) - callsAtRecovery);
            Assert.False(backoff.IsHolding);
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Dispose();
            }
        }
    }

    [Fact]
    public async Task OnRefreshDue_AnotherSlotRefusedForItsAccount_RefreshesAnyway()
    {
        // A revoked sign-in is the account's own failure, not the identity platform's: it holds nobody else.
        var backoff = new ProviderBackoff(_time);
        var revoked = new FakeTokenAcquirer();
        var healthy = new FakeTokenAcquirer();
        var revokedCalls = 0;
        revoked.Acquire = (_, _) => Interlocked.Increment(ref revokedCalls) == 1
            ? Task.FromResult(Token(TimeSpan.FromHours(1)))
            : Task.FromException<AccessToken>(new ModernAuthException(ModernAuthErrorCategory.ReauthorizationRequired, "AADSTS50173: the grant was revoked."));
        healthy.Acquire = (_, _) => Task.FromResult(Token(TimeSpan.FromHours(1)));
        var settings = TokenSlotSettings.Default with { NextRandom = () => 0 };
        using var first = new TokenSlot(revoked, _time, _metrics, NullLogger.Instance, settings, providerBackoff: backoff);
        using var second = new TokenSlot(healthy, _time, _metrics, NullLogger.Instance, settings, providerBackoff: backoff);
        await first.AcquireAsync(Cancel);
        _time.Advance(TimeSpan.FromSeconds(2));
        await second.AcquireAsync(Cancel);

        // The first slot's refresh is refused at 15 min; the second one's falls due 2 s later, inside any shared back-off.
        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => revoked.Calls == 2, "the revoked account's refresh was refused");
        await Task.Delay(50, Cancel);
        _time.Advance(TimeSpan.FromSeconds(3));

        await WaitUntilAsync(() => healthy.Calls == 2, "the other account refreshed");
        Assert.False(backoff.IsHolding);
    }

    // A request started on the thread pool is counted only once it reaches the acquirer: wait until none is on its way.
    private static bool Settled(TokenSlot[] slots) => slots.All(slot => !slot.HasRequestInFlight);

    private static int Calls(FakeTokenAcquirer[] acquirers) => acquirers.Sum(acquirer => acquirer.Calls);

    private static bool IsOriginal(TokenSlot slot, string original) => slot.TryGetCached(out var token) && token.Token == original;

    private static int Refreshed(TokenSlot[] slots, List<string> originals) =>
        slots.Where((slot, index) => !IsOriginal(slot, originals[index])).Count();

    private AccessToken Token(TimeSpan lifetime) =>
        new($"token-{Interlocked.Increment(ref _issued)}", _time.GetUtcNow() + lifetime, ["https://outlook.office365.com/.default"], TokenSource.IdentityProvider);

    private static Task WaitUntilAsync(Func<bool> condition, string what) => TokenProviderHarness.WaitUntilAsync(condition, what);
}
