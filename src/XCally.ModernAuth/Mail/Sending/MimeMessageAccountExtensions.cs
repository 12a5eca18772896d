using MimeKit;

namespace XCally.ModernAuth;

/// <summary>Addresses a message the way an <see cref="EmailAccount"/> sends, shared mailboxes included.</summary>
public static class MimeMessageAccountExtensions
{
    /// <summary>
    /// Sets the message's <c>From</c> to the account's address (keeping a display name the message already gave it) and its
    /// <c>Sender</c> to what the account's <see cref="EmailAccount.SendPermission"/> calls for: the signed-in user when it sends on
    /// behalf (<see cref="EmailAccount.SenderHeader"/>), none otherwise. The connector's SMTP clients then send it with the account's
    /// <see cref="EmailAccount.SmtpSender"/> as <c>MAIL FROM</c>.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="account">The account that sends it.</param>
    /// <returns>The message, for chaining.</returns>
    public static MimeMessage SetFromAccount(this MimeMessage message, EmailAccount account)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(account);
        var name = message.From.Mailboxes.FirstOrDefault(m => string.Equals(m.Address, account.Address, StringComparison.OrdinalIgnoreCase))?.Name;
        message.From.Clear();
        message.From.Add(new MailboxAddress(name, account.Address));
        message.Sender = account.SenderHeader is { } sender ? new MailboxAddress(null, sender) : null;
        return message;
    }
}
