using Microsoft.Extensions.Time.Testing;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// The SDK's clock in the scale run: the shared <see cref="FakeTimeProvider"/> while simulated time passes, and frozen at its
/// current time while every account is called. <see cref="FakeTimeProvider.GetUtcNow"/> looks through all its timers on
/// every reading (one per token slot, so ten thousand), which would make each call of the SDK cost what the fake clock
/// costs. Frozen, each reading still reads the system clock once (and throws the value away), so a call costs what it would
/// on <see cref="TimeProvider.System"/>, and returns the fake time.
/// </summary>
internal sealed class BenchClock(FakeTimeProvider fake) : TimeProvider
{
    private volatile Frozen? _frozen;

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    /// <summary>Stops the clock at the fake clock's time until <see cref="Thaw"/>; the fake clock must not be advanced meanwhile.</summary>
    public void Freeze() => _frozen = new Frozen(fake.GetUtcNow(), fake.GetTimestamp());

    public void Thaw() => _frozen = null;

    public override DateTimeOffset GetUtcNow()
    {
        if (_frozen is { } frozen)
        {
            _ = System.GetUtcNow();
            return frozen.UtcNow;
        }

        return fake.GetUtcNow();
    }

    public override long GetTimestamp()
    {
        if (_frozen is { } frozen)
        {
            _ = System.GetTimestamp();
            return frozen.Timestamp;
        }

        return fake.GetTimestamp();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        fake.CreateTimer(callback, state, dueTime, period);

    private sealed record Frozen(DateTimeOffset UtcNow, long Timestamp);
}
