using MimeKit;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Whether a message fits what an account sends as, before it is sent: its <c>From</c> is the account's address (or the signed-in
/// user's own), its <c>Sender</c> is the one the account's <see cref="SendPermission"/> calls for, and the envelope sender is the
/// account's <see cref="EmailAccount.SmtpSender"/>. Exchange Online would otherwise accept the whole message and refuse it at the
/// end (<c>554 5.2.252 SendAsDenied</c>) or bounce it later.
/// </summary>
internal static class SenderCheck
{
    /// <summary>The refusal of a message the account may not send as it is, or <see langword="null"/> when it fits.</summary>
    /// <param name="account">The account whose SMTP login sends it.</param>
    /// <param name="message">The message.</param>
    /// <param name="envelopeSender">The envelope sender the caller gave, or <see langword="null"/> for MailKit's choice (<c>Sender</c>, else the first <c>From</c>).</param>
    /// <returns>The exception to throw, naming the fix.</returns>
    public static ModernAuthException? Check(EmailAccount account, MimeMessage message, MailboxAddress? envelopeSender)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(message);
        var self = account.SmtpUserName;
        var from = message.From.Mailboxes.Select(m => m.Address).ToList();
        var sender = message.Sender?.Address;

        foreach (var address in from)
        {
            if (!Is(address, account.Address) && !Is(address, self))
            {
                return Refuse(
                    account,
                    $"The message's From is '{address}', but email account {account.Address} sends only as {Describe(account)}.",
                    $"Set the message's From to {account.Address} (message.SetFromAccount(account) sets From and Sender as the account sends), or send it "
                        + $"with the email account of '{address}'.");
            }
        }

        var asMailbox = from.Any(address => Is(address, account.Address) && !Is(address, self));
        if (asMailbox && account.SendPermission == SendPermission.SendOnBehalf && !Is(sender, self))
        {
            return Refuse(
                account,
                $"Email account {account.Address} sends on behalf of {account.Address} as {self} (Send on Behalf), which needs the header Sender: {self}; "
                    + $"the message has {(sender is null ? "no Sender" : $"Sender: {sender}")}.",
                $"Set message.Sender to {self} (message.SetFromAccount(account) does it), or, if {self} holds Send As on {account.Address}, set the "
                    + "account's SendPermission to SendAs.");
        }

        if (sender is not null && !(asMailbox && account.SendPermission == SendPermission.SendOnBehalf) && !Is(sender, from.Count == 1 ? from[0] : null))
        {
            return Refuse(
                account,
                $"The message's Sender is '{sender}', which makes it a message sent on behalf of its From, but email account {account.Address} "
                    + $"{(account.SignInUser is null ? "sends only as itself" : $"sends as {account.Address} with Send As")}.",
                $"Remove the message's Sender header{(account.SignInUser is null ? string.Empty : $", or, if {self} holds Send on Behalf on {account.Address} (Set-Mailbox -Identity {account.Address} -GrantSendOnBehalfTo {self}), set the account's SendPermission to SendOnBehalf")}.");
        }

        // MailKit's own choice when none is given: the Sender header, else the first From.
        var envelope = envelopeSender?.Address ?? sender ?? from.FirstOrDefault();
        var expected = asMailbox ? account.SmtpSender : self;
        if (envelope is not null && !Is(envelope, expected))
        {
            return Refuse(
                account,
                $"The message would be sent with MAIL FROM:<{envelope}>, but email account {account.Address} sends it with MAIL FROM:<{expected}>.",
                $"Send without an envelope sender (SendAsync(message)), or give {expected}.");
        }

        return null;
    }

    private static string Describe(EmailAccount account) =>
        account.SignInUser is { } agent
            ? account.SendPermission == SendPermission.SendOnBehalf
                ? $"{account.Address} on behalf (Sender: {agent}) and as {agent} itself"
                : $"{account.Address} (Send As) and as {agent} itself"
            : Is(account.UserName, account.Address) ? account.Address : $"{account.Address} and {account.UserName}";

    private static bool Is(string? address, string? other) =>
        address is not null && other is not null && string.Equals(address, other, StringComparison.OrdinalIgnoreCase);

    private static ModernAuthException Refuse(EmailAccount account, string summary, string advice) =>
        new(ModernAuthErrorCategory.SendAsDenied, summary + " Nothing was sent.", advice)
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
        };
}
