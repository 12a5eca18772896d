using MimeKit;
using MimeKit.Utils;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>Builds the acknowledgement a contact center sends when a customer's email arrives.</summary>
public static class AcknowledgementReply
{
    /// <summary>
    /// Builds the reply to a message: from the account, to the sender (its <c>Reply-To</c> when set), subject <c>Re: …</c>, threaded
    /// with <c>In-Reply-To</c> and <c>References</c>, and marked <c>Auto-Submitted: auto-replied</c> so that other robots do not
    /// answer it. Returns <see langword="null"/> when RFC 3834 says not to reply: automatic or bulk mail, mail without a sender, or
    /// mail from the account itself (a reply would loop).
    /// </summary>
    /// <param name="original">The customer's message.</param>
    /// <param name="accountAddress">The account that received it, and sends the reply.</param>
    /// <param name="now">The reply's date.</param>
    /// <returns>The reply, or <see langword="null"/>.</returns>
    public static MimeMessage? Create(MimeMessage original, string accountAddress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountAddress);
        var recipient = original.ReplyTo.Mailboxes.FirstOrDefault() ?? original.From.Mailboxes.FirstOrDefault();
        if (recipient is null || IsAutomatic(original) || string.Equals(recipient.Address, accountAddress, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var reply = new MimeMessage
        {
            Date = now,
            MessageId = MimeUtils.GenerateMessageId(MailboxAddress.Parse(accountAddress).Domain),
            Subject = ReplySubject(original.Subject),
            Body = new TextPart("plain")
            {
                Text = $"Thank you for your message \"{original.Subject}\". We have received it and an agent will get back to you shortly.",
            },
        };
        reply.From.Add(MailboxAddress.Parse(accountAddress));
        reply.To.Add(recipient);
        reply.Headers.Add("Auto-Submitted", "auto-replied");
        if (!string.IsNullOrEmpty(original.MessageId))
        {
            reply.InReplyTo = original.MessageId;
            foreach (var id in original.References)
            {
                reply.References.Add(id);
            }

            reply.References.Add(original.MessageId);
        }

        return reply;
    }

    private static string ReplySubject(string? subject) =>
        subject is null ? "Re: your message"
        : subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject
        : "Re: " + subject;

    private static bool IsAutomatic(MimeMessage message)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"];
        var precedence = message.Headers["Precedence"];
        return (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            || precedence?.Trim().ToUpperInvariant() is "BULK" or "JUNK" or "LIST";
    }
}
