using MailKit;
using MimeKit;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>A new message in an account's INBOX, handed to the <see cref="IMessageHandler"/>.</summary>
/// <param name="AccountAddress">The account that received it.</param>
/// <param name="Uid">Its IMAP UID in the account's INBOX.</param>
/// <param name="Message">The message.</param>
public sealed record ChannelMessage(string AccountAddress, UniqueId Uid, MimeMessage Message);
