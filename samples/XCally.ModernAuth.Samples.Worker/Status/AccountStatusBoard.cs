using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// The latest status of every account, for a health check or a dashboard, and the log of every change an operator cares about:
/// connected, idle, reconnecting and failed, the last two with the SDK's error category and advice.
/// </summary>
public sealed partial class AccountStatusBoard
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the board.</summary>
    /// <param name="timeProvider">The clock for <see cref="AccountState.Since"/>.</param>
    /// <param name="logger">Where changes are logged.</param>
    public AccountStatusBoard(TimeProvider timeProvider, ILogger<AccountStatusBoard> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Every account's latest state.</summary>
    public IReadOnlyDictionary<string, AccountState> Accounts =>
        _entries.ToDictionary(e => e.Key, e => e.Value.State, StringComparer.OrdinalIgnoreCase);

    /// <summary>An account's latest state.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <returns>The state, or <see langword="null"/> for an account the channel does not serve.</returns>
    public AccountState? Get(string accountAddress) => _entries.TryGetValue(accountAddress, out var entry) ? entry.State : null;

    /// <summary>Records and logs an account's new status. Each account reports from one task at a time.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="status">The new status.</param>
    /// <param name="error">Why it is <see cref="AccountStatus.Reconnecting"/> or <see cref="AccountStatus.Failed"/>.</param>
    /// <param name="retryIn">When it tries again, for those two.</param>
    public void Report(string accountAddress, AccountStatus status, Exception? error = null, TimeSpan? retryIn = null)
    {
        var failure = error is null ? null : AccountFailure.From(error);
        var entry = _entries.GetOrAdd(accountAddress, _ => new Entry());
        var previous = entry.State.Status;
        entry.State = new AccountState(status, _timeProvider.GetUtcNow(), failure);
        switch (status)
        {
            case AccountStatus.Connecting:
                entry.IdleAnnounced = false;
                LogConnecting(_logger, accountAddress);
                break;
            case AccountStatus.Connected when previous == AccountStatus.Connecting:
                LogConnected(_logger, accountAddress);
                break;
            case AccountStatus.Idle when !entry.IdleAnnounced:
                // IDLE restarts and every batch of mail pass through Idle again; saying it once per connection is enough.
                entry.IdleAnnounced = true;
                LogIdle(_logger, accountAddress);
                break;
            case AccountStatus.Reconnecting:
                LogReconnecting(_logger, accountAddress, retryIn ?? TimeSpan.Zero, failure?.Category, failure?.Reason, failure?.Advice ?? "none needed");
                break;
            case AccountStatus.Failed:
                LogFailed(_logger, accountAddress, retryIn ?? TimeSpan.Zero, failure?.Category, failure?.Reason, failure?.Advice ?? "none");
                break;
            case AccountStatus.Stopped:
                LogStopped(_logger, accountAddress);
                break;
        }
    }

    private sealed class Entry
    {
        public AccountState State { get; set; } = new(AccountStatus.Starting, DateTimeOffset.MinValue, null);

        public bool IdleAnnounced { get; set; }
    }
}
