namespace XCally.ModernAuth.Internal;

/// <summary>Exponential back-off with jitter, so that many sessions dropped together do not reconnect together.</summary>
internal static class ReconnectBackoff
{
    /// <summary>The wait before a reconnect attempt: <paramref name="initial"/> doubled per failed attempt, capped at <paramref name="max"/>, then scaled to 50–100 %.</summary>
    /// <param name="attempt">The number of failed attempts in a row, from 1.</param>
    /// <param name="initial">The first wait.</param>
    /// <param name="max">The longest wait.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    /// <returns>The wait.</returns>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.5 + (0.5 * jitter))));
    }
}
