using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// The default <see cref="IMessageHandler"/>: answers each customer with an <see cref="AcknowledgementReply"/> from the account
/// that received the message: over SMTP, signed in with a fresh token by
/// <see cref="IMailClientConnector.ConnectSmtpAsync(EmailAccount, CancellationToken)"/>, for <c>Transport: Imap</c> accounts; through the
/// account's <see cref="IMailTransport"/> otherwise (Microsoft Graph <c>sendMail</c> for <c>Graph</c>, SMTP with the Graph fallback
/// for <c>Auto</c>). For a shared mailbox (<c>support@</c> served by an agent's sign-in) the reply is from the shared address,
/// addressed with <see cref="MimeMessageAccountExtensions.SetFromAccount"/>: Send As, or Send on Behalf with the agent as <c>Sender</c>.
/// </summary>
/// <remarks>
/// A refused recipient is logged and the message counts as handled: retrying would not change the address. Every other error
/// (SMTP AUTH disabled for the mailbox, a revoked permission, a dropped connection) leaves the message unhandled, so the channel
/// tries again after its back-off and no customer goes unanswered once the cause is fixed.
/// </remarks>
public sealed partial class AcknowledgementReplyHandler : IMessageHandler
{
    private readonly IMailClientConnector _connector;
    private readonly IEmailAccountStore _accounts;
    private readonly IMailTransports _transports;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="connector">Connects and signs in to SMTP.</param>
    /// <param name="accounts">The accounts, for how each one sends.</param>
    /// <param name="transports">The accounts' mail transports, for accounts on Microsoft Graph or Auto.</param>
    /// <param name="timeProvider">The clock for the reply's date.</param>
    /// <param name="logger">Where replies are logged.</param>
    public AcknowledgementReplyHandler(
        IMailClientConnector connector,
        IEmailAccountStore accounts,
        IMailTransports transports,
        TimeProvider timeProvider,
        ILogger<AcknowledgementReplyHandler> logger)
    {
        _connector = connector;
        _accounts = accounts;
        _transports = transports;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task HandleAsync(ChannelMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var reply = AcknowledgementReply.Create(message.Message, message.AccountAddress, _timeProvider.GetUtcNow());
        if (reply is null)
        {
            LogNotAnswered(_logger, message.AccountAddress, message.Message.MessageId);
            return;
        }

        var account = await _accounts.FindAsync(message.AccountAddress, cancellationToken)
            ?? throw new InvalidOperationException($"No email account with the address '{message.AccountAddress}' is configured.");
        reply.SetFromAccount(account);
        if (account.Transport != MailTransport.Imap)
        {
            var transport = await _transports.GetAsync(message.AccountAddress, cancellationToken);
            await transport.SendAsync(reply, cancellationToken);
            LogAcknowledged(_logger, message.AccountAddress, reply.To.ToString(), message.Message.Subject);
            return;
        }

        using var smtp = await _connector.ConnectSmtpAsync(account, cancellationToken);
        try
        {
            await smtp.SendAsync(reply, cancellationToken);
        }
        catch (SmtpCommandException refused) when (refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
        {
            LogRecipientRefused(_logger, message.AccountAddress, refused.Mailbox?.Address, refused.Message);
            return;
        }

        await smtp.DisconnectAsync(true, cancellationToken);
        LogAcknowledged(_logger, message.AccountAddress, reply.To.ToString(), message.Message.Subject);
    }
}
