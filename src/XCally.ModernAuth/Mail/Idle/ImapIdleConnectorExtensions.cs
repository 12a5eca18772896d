using MailKit;
using MailKit.Net.Imap;

namespace XCally.ModernAuth;

/// <summary>Runs an <see cref="ImapIdleSession"/> straight from the connector.</summary>
#pragma warning disable RS0026 // The RunImapIdleAsync overloads differ in a required parameter (the state handler), not in which optional ones they take.
public static class ImapIdleConnectorExtensions
{
    /// <summary>
    /// Watches an account's INBOX with IMAP IDLE until cancelled, reconnecting with fresh tokens as needed, and calls
    /// <paramref name="onNewMessages"/> after each (re)connect and whenever new messages arrive.
    /// </summary>
    /// <param name="connector">The connector.</param>
    /// <param name="accountAddress">The account.</param>
    /// <param name="onNewMessages">The host's handler: the client and the open INBOX, between IDLE commands.</param>
    /// <param name="cancellationToken">Stops the session.</param>
    /// <returns>A task that ends when the session is stopped or fails for good.</returns>
    public static Task RunImapIdleAsync(this IMailClientConnector connector, string accountAddress, Func<ImapClient, IMailFolder, CancellationToken, Task> onNewMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onNewMessages);
        return new ImapIdleSession(connector, accountAddress).RunAsync((n, ct) => onNewMessages(n.Client, n.Inbox, ct), cancellationToken);
    }

    /// <summary>
    /// Watches an account's INBOX like <see cref="RunImapIdleAsync(IMailClientConnector, string, Func{ImapClient, IMailFolder, CancellationToken, Task}, CancellationToken)"/>,
    /// and tells the host every state change (connecting, idle, waiting to reconnect with the error and the delay, faulted for good),
    /// so that a host can show each mailbox's health.
    /// </summary>
    /// <param name="connector">The connector.</param>
    /// <param name="accountAddress">The account.</param>
    /// <param name="onNewMessages">The host's handler: the client and the open INBOX, between IDLE commands.</param>
    /// <param name="onStateChanged">Called on the session's own task at every state change; keep it short and do not throw.</param>
    /// <param name="cancellationToken">Stops the session.</param>
    /// <returns>A task that ends when the session is stopped or fails for good.</returns>
    public static Task RunImapIdleAsync(
        this IMailClientConnector connector,
        string accountAddress,
        Func<ImapClient, IMailFolder, CancellationToken, Task> onNewMessages,
        Action<ImapIdleStateChangedEventArgs> onStateChanged,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onNewMessages);
        ArgumentNullException.ThrowIfNull(onStateChanged);
        var session = new ImapIdleSession(connector, accountAddress);
        session.StateChanged += (_, e) => onStateChanged(e);
        return session.RunAsync((n, ct) => onNewMessages(n.Client, n.Inbox, ct), cancellationToken);
    }

    /// <summary>
    /// Makes an IDLE session for an account without starting it, so that the host keeps it: its <see cref="ImapIdleSession.State"/>,
    /// <see cref="ImapIdleSession.LastError"/> and <see cref="ImapIdleSession.StateChanged"/>; start it with
    /// <see cref="ImapIdleSession.RunAsync"/>.
    /// </summary>
    /// <param name="connector">The connector.</param>
    /// <param name="accountAddress">The account.</param>
    /// <param name="options">IDLE and reconnect settings; defaults if <see langword="null"/>.</param>
    /// <returns>The session, not running.</returns>
    public static ImapIdleSession CreateImapIdleSession(this IMailClientConnector connector, string accountAddress, ImapIdleOptions? options = null) =>
        new(connector, accountAddress, options);
}
#pragma warning restore RS0026
