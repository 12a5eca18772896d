using MailKit;
using MailKit.Net.Imap;

namespace XCally.ModernAuth;

/// <summary>Runs an <see cref="ImapIdleSession"/> straight from the connector.</summary>
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
}
