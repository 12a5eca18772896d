using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The SMTP client the connector hands out: a MailKit <see cref="SmtpClient"/> that knows its account. Before sending it checks that
/// the message fits what the account sends as (<see cref="SenderCheck"/>, unless <see cref="MailConnectorOptions.VerifySender"/> is
/// off), and a submission refused for the sender's rights (<c>554 5.2.252 SendAsDenied</c>, <c>430 4.2.0 STOREDRV; mailbox logon
/// failure</c>) becomes a <see cref="ModernAuthException"/> with the cmdlet that fixes it. Every other failure is MailKit's own.
/// </summary>
internal sealed class AccountSmtpClient : SmtpClient
{
    private readonly EmailAccount _account;
    private readonly bool _verifySender;

    public AccountSmtpClient(IProtocolLogger protocolLogger, EmailAccount account, bool verifySender)
        : base(protocolLogger)
    {
        _account = account;
        _verifySender = verifySender;
    }

    /// <summary>The authentication the client was signed in with: its flow picks the advice of a refused submission.</summary>
    public OAuthAuthenticationContext? Authentication { get; set; }

    /// <inheritdoc />
    public override string Send(FormatOptions options, MimeMessage message, CancellationToken cancellationToken = default, ITransferProgress? progress = null)
    {
        Verify(message, envelopeSender: null);
        try
        {
            return base.Send(options, message, cancellationToken, progress);
        }
        catch (SmtpCommandException ex) when (Translate(ex, message) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <inheritdoc />
    public override string Send(
        FormatOptions options,
        MimeMessage message,
        MailboxAddress sender,
        IEnumerable<MailboxAddress> recipients,
        CancellationToken cancellationToken = default,
        ITransferProgress? progress = null)
    {
        Verify(message, sender);
        try
        {
            return base.Send(options, message, sender, recipients, cancellationToken, progress);
        }
        catch (SmtpCommandException ex) when (Translate(ex, message) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <inheritdoc />
    public override async Task<string> SendAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken = default, ITransferProgress? progress = null)
    {
        Verify(message, envelopeSender: null);
        try
        {
            return await base.SendAsync(options, message, cancellationToken, progress).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex) when (Translate(ex, message) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <inheritdoc />
    public override async Task<string> SendAsync(
        FormatOptions options,
        MimeMessage message,
        MailboxAddress sender,
        IEnumerable<MailboxAddress> recipients,
        CancellationToken cancellationToken = default,
        ITransferProgress? progress = null)
    {
        Verify(message, sender);
        try
        {
            return await base.SendAsync(options, message, sender, recipients, cancellationToken, progress).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex) when (Translate(ex, message) is { } refusal)
        {
            throw refusal;
        }
    }

    private void Verify(MimeMessage message, MailboxAddress? envelopeSender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_verifySender && SenderCheck.Check(_account, message, envelopeSender) is { } refusal)
        {
            throw refusal;
        }
    }

    // Only the refusals of the sender's rights: a refused recipient or a size limit stays MailKit's, for hosts that handle those.
    private ModernAuthException? Translate(SmtpCommandException exception, MimeMessage message)
    {
        var context = Authentication ?? new OAuthAuthenticationContext(_account, MailProtocol.Smtp, NoTokens.Instance);
        var response = OAuthAuthenticator.ServerResponse(context, exception);
        if (MailServerFailures.Find(MailProtocol.Smtp, response) is not { Kind: MailRefusalKind.Permission } failure)
        {
            return null;
        }

        // A refused Send As is about the address the message was from, which the host may have chosen unchecked.
        var from = failure.Category == ModernAuthErrorCategory.SendAsDenied ? message.From.Mailboxes.FirstOrDefault()?.Address : null;
        return OAuthAuthenticator.CreateException(context, failure, exception, token: null, retried: false, mailbox: from);
    }

    // Stands in for the token provider of a client that was never signed in through the connector; never asked for a token.
    private sealed class NoTokens : ITokenProvider
    {
        public static readonly NoTokens Instance = new();

        public ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, MailProtocol protocol, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No token is requested to explain a refused submission.");

        public ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;
    }
}
