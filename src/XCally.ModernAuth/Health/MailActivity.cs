using System.Collections.Concurrent;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// What the mail side did lately, in memory, for the health checks: the last sign-in of each account over each protocol (through
/// <see cref="IMailClientConnector"/>) with the server's words when it refused, and the IMAP IDLE sessions made on the connector.
/// Holds no token.
/// </summary>
internal sealed class MailActivity
{
    private readonly ConcurrentDictionary<(string Account, MailProtocol Protocol), MailSignIn> _signIns = new(SignInKeyComparer.Instance);
    private readonly ConcurrentDictionary<string, WeakReference<ImapIdleSession>> _idleSessions = new(StringComparer.OrdinalIgnoreCase);

    public void SignedIn(EmailAccount account, MailProtocol protocol, DateTimeOffset at) =>
        _signIns[(account.Address, protocol)] = new MailSignIn(at, null, null, null);

    public void SignInFailed(EmailAccount account, MailProtocol protocol, ModernAuthException error, DateTimeOffset at) =>
        _signIns[(account.Address, protocol)] = new MailSignIn(at, error.Category, error.ServerResponse, error.Summary);

    /// <summary>The last sign-in of an account over a protocol, or <see langword="null"/> when there was none.</summary>
    public MailSignIn? LastSignIn(string accountAddress, MailProtocol protocol) => _signIns.GetValueOrDefault((accountAddress, protocol));

    /// <summary>Remembers an IDLE session (the newest one per account), without keeping it alive.</summary>
    public void Track(ImapIdleSession session) => _idleSessions[session.AccountAddress] = new WeakReference<ImapIdleSession>(session);

    /// <summary>The account's IDLE session, if one was made and is still referenced by the host.</summary>
    public ImapIdleSession? IdleSession(string accountAddress) =>
        _idleSessions.TryGetValue(accountAddress, out var reference) && reference.TryGetTarget(out var session) ? session : null;

    private sealed class SignInKeyComparer : IEqualityComparer<(string Account, MailProtocol Protocol)>
    {
        public static readonly SignInKeyComparer Instance = new();

        public bool Equals((string Account, MailProtocol Protocol) x, (string Account, MailProtocol Protocol) y) =>
            x.Protocol == y.Protocol && string.Equals(x.Account, y.Account, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Account, MailProtocol Protocol) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Account), obj.Protocol);
    }
}

/// <summary>One sign-in to a mail server: succeeded when <see cref="Category"/> is <see langword="null"/>.</summary>
internal sealed record MailSignIn(DateTimeOffset At, ModernAuthErrorCategory? Category, string? ServerResponse, string? Summary)
{
    public bool Succeeded => Category is null;
}
