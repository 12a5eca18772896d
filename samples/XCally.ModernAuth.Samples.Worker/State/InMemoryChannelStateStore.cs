using System.Collections.Concurrent;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>The default <see cref="IChannelStateStore"/>: survives reconnects, not restarts.</summary>
public sealed class InMemoryChannelStateStore : IChannelStateStore
{
    private readonly ConcurrentDictionary<string, ChannelState> _states = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ValueTask<ChannelState?> GetAsync(string accountAddress, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_states.GetValueOrDefault(accountAddress));

    /// <inheritdoc />
    public ValueTask SaveAsync(string accountAddress, ChannelState state, CancellationToken cancellationToken = default)
    {
        _states[accountAddress] = state;
        return ValueTask.CompletedTask;
    }
}
