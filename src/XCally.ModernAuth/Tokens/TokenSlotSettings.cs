namespace XCally.ModernAuth.Internal;

/// <summary>What a <see cref="TokenSlot"/> takes from its owner.</summary>
/// <param name="Shutdown">Cancelled when the owner is disposed: requests in flight are abandoned and waiters get <see cref="ObjectDisposedException"/>.</param>
/// <param name="IdleRefreshLimit">Refresh periods in a row without a caller after which the slot stops refreshing and reports itself idle.</param>
/// <param name="OnIdle">Called (on the timer's thread) when the slot became idle; the owner drops and closes it.</param>
/// <param name="NextRandom">Uniform numbers in [0, 1) for the jitter of refreshes, back-offs and retries; <see cref="Random.Shared"/> when <see langword="null"/> (tests fix it).</param>
internal sealed record TokenSlotSettings(CancellationToken Shutdown, int IdleRefreshLimit, Action<TokenSlot>? OnIdle, Func<double>? NextRandom = null)
{
    /// <summary>No shutdown signal, no idle limit: a slot that refreshes for as long as it lives.</summary>
    public static TokenSlotSettings Default { get; } = new(CancellationToken.None, int.MaxValue, OnIdle: null);
}
