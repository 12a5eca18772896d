using System.Collections.Concurrent;

namespace XCally.ModernAuth.Samples.Web.Status;

/// <summary>
/// What the console saw of each account since it started, for the Status page: the last sign-in per protocol (from the Check page
/// and the inbox watcher) and the IMAP IDLE session's state. In memory: a restart starts it afresh. Thread-safe.
/// </summary>
public sealed class AccountActivity(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<(string Address, MailProtocol Protocol), SignInRecord> _signIns = new();
    private readonly ConcurrentDictionary<string, IdleRecord> _idle = new(StringComparer.OrdinalIgnoreCase);

    public void RecordSignIn(string address, MailProtocol protocol, bool succeeded, string detail) =>
        _signIns[(address.ToUpperInvariant(), protocol)] = new SignInRecord(timeProvider.GetUtcNow(), succeeded, detail);

    public SignInRecord? LastSignIn(string address, MailProtocol protocol) =>
        _signIns.GetValueOrDefault((address.ToUpperInvariant(), protocol));

    public void RecordIdle(string address, ImapIdleSessionState state, string? error) =>
        _idle[address] = new IdleRecord(state, timeProvider.GetUtcNow(), error);

    public IdleRecord? Idle(string address) => _idle.GetValueOrDefault(address);

    public void Forget(string address)
    {
        _idle.TryRemove(address, out _);
        foreach (var key in _signIns.Keys.Where(key => string.Equals(key.Address, address, StringComparison.OrdinalIgnoreCase)))
        {
            _signIns.TryRemove(key, out _);
        }
    }

    public sealed record SignInRecord(DateTimeOffset On, bool Succeeded, string Detail);

    public sealed record IdleRecord(ImapIdleSessionState State, DateTimeOffset Since, string? Error);
}
