namespace XCally.ModernAuth.Samples.Worker;

/// <summary>Keeps each account's <see cref="ChannelState"/>, so that a reconnect or a restart neither loses nor repeats a message.</summary>
public interface IChannelStateStore
{
    /// <summary>Reads an account's state.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when the account has never handled a message.</returns>
    ValueTask<ChannelState?> GetAsync(string accountAddress, CancellationToken cancellationToken = default);

    /// <summary>Records an account's state; called after each handled message.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that ends when the state is stored.</returns>
    ValueTask SaveAsync(string accountAddress, ChannelState state, CancellationToken cancellationToken = default);
}
