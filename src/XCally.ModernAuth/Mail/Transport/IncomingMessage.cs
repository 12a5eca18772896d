using MimeKit;

namespace XCally.ModernAuth;

/// <summary>A message read by an <see cref="IMailTransport"/>: the MIME message and where it lies.</summary>
public sealed class IncomingMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="id">The transport's id (an IMAP <c>UIDVALIDITY:UID</c>, a Graph message id).</param>
    /// <param name="folder">The folder it was read from, as asked for.</param>
    /// <param name="message">The message.</param>
    public IncomingMessage(string id, string folder, MimeMessage message)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(message);
        Id = id;
        Folder = folder;
        Message = message;
    }

    /// <summary>The transport's id of the message; stable while the message stays in its folder.</summary>
    public string Id { get; }

    /// <summary>The folder it was read from.</summary>
    public string Folder { get; }

    /// <summary>The message.</summary>
    public MimeMessage Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"IncomingMessage {Id} in {Folder} ({Message.MessageId})";
}
