using MailKit;
using MimeKit;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>A new message in an account's INBOX, handed to the <see cref="IMessageHandler"/>.</summary>
/// <param name="AccountAddress">The account that received it.</param>
/// <param name="Uid">Its IMAP UID in the account's INBOX; <see cref="UniqueId.Invalid"/> for a message read through Microsoft Graph.</param>
/// <param name="Message">The message.</param>
public sealed record ChannelMessage(string AccountAddress, UniqueId Uid, MimeMessage Message)
{
    /// <summary>The message's Microsoft Graph id, for an account with <c>Transport: Graph</c>; otherwise <see langword="null"/>.</summary>
    public string? GraphMessageId { get; init; }
}
