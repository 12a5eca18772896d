using MimeKit;

namespace XCally.ModernAuth;

/// <summary>
/// Sends and reads one email account's mail as <see cref="MimeMessage"/>s, whatever carries it: IMAP and SMTP, or Microsoft
/// Graph (<see cref="EmailAccount.Transport"/>). Get one from <see cref="IMailTransports"/>. Thread-safe; each call gets a fresh
/// token on the SDK's token path.
/// </summary>
/// <remarks>
/// Reading is by batches: <see cref="ReadNewAsync"/> returns the messages that arrived in a folder since the last
/// <see cref="CommitAsync"/>; commit a batch once it is handled, and the cursor (an IMAP UID, or a Graph delta link) is saved in
/// the <see cref="IMailCursorStore"/>. A host that stops before committing gets the same messages again; none is lost.
/// </remarks>
public interface IMailTransport
{
    /// <summary>The account.</summary>
    EmailAccount Account { get; }

    /// <summary>The transport that carries the account's mail (<see cref="MailTransport.Auto"/> for the IMAP/SMTP one with Graph fallback).</summary>
    MailTransport Kind { get; }

    /// <summary>Sends a message from the account's mailbox (a shared mailbox's address sends as that mailbox).</summary>
    /// <param name="message">The message; its sender defaults to the account's address.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the server accepted the message.</returns>
    /// <exception cref="ModernAuthException">The server or identity platform refused; the exception names the cause and the fix.</exception>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default);

    /// <summary>Reads the messages that arrived in a folder since the last committed batch (on first use: all of the folder).</summary>
    /// <param name="folder">A folder: <see cref="MailFolderNames.Inbox"/> or another well-known name, or a folder's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch, oldest first; empty when nothing is new.</returns>
    /// <exception cref="ModernAuthException">The server or identity platform refused.</exception>
    Task<IncomingMailBatch> ReadNewAsync(string folder = MailFolderNames.Inbox, CancellationToken cancellationToken = default);

    /// <summary>Saves a batch's cursor, so that its messages are not read again (also after a restart).</summary>
    /// <param name="batch">A batch this transport returned.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the cursor is stored.</returns>
    Task CommitAsync(IncomingMailBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Marks a message read (IMAP <c>\Seen</c>, Graph <c>isRead</c>).</summary>
    /// <param name="message">A message this transport returned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the server changed the message.</returns>
    Task MarkReadAsync(IncomingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Moves a message to another folder.</summary>
    /// <param name="message">A message this transport returned.</param>
    /// <param name="destinationFolder">A well-known name (<see cref="MailFolderNames"/>) or a folder's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the server moved the message.</returns>
    Task MoveAsync(IncomingMessage message, string destinationFolder, CancellationToken cancellationToken = default);
}
