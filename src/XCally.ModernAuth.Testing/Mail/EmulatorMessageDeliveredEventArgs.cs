using MimeKit;

namespace XCally.ModernAuth.Testing;

/// <summary>Describes a message put into a folder of an <see cref="EmulatorMailbox"/>.</summary>
public sealed class EmulatorMessageDeliveredEventArgs : EventArgs
{
    internal EmulatorMessageDeliveredEventArgs(EmulatorMailbox mailbox, string folder, MimeMessage message, uint uid = 0)
    {
        Uid = uid;
        Mailbox = mailbox;
        Folder = folder;
        Message = message;
    }

    /// <summary>The mailbox the message was put into.</summary>
    public EmulatorMailbox Mailbox { get; }

    /// <summary>The folder, e.g. <see cref="EmulatorMailbox.Inbox"/>.</summary>
    public string Folder { get; }

    /// <summary>The message.</summary>
    public MimeMessage Message { get; }

    /// <summary>The message's IMAP UID in the folder (Graph's notifications name the message by it).</summary>
    internal uint Uid { get; }
}
