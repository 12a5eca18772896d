using MimeKit;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The <see cref="MailTransport.Auto"/> transport: IMAP/SMTP, and Graph for sending from the first time SMTP answers
/// <c>535 5.7.139</c> (SMTP AUTH disabled, which hardened tenants keep off). The switch is remembered per account by
/// <see cref="MailTransports"/>, so SMTP is tried once per account and process.
/// </summary>
internal sealed class AutoMailTransport(ImapSmtpMailTransport imapSmtp, Func<IMailTransport> graph, MailTransports owner) : IMailTransport
{
    private readonly Lazy<IMailTransport> _graph = new(graph, LazyThreadSafetyMode.ExecutionAndPublication);

    public EmailAccount Account => imapSmtp.Account;

    public MailTransport Kind => MailTransport.Auto;

    /// <summary>Whether this account sends through Graph.</summary>
    public bool SendsThroughGraph => owner.SendsThroughGraph(Account.Address);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        if (SendsThroughGraph)
        {
            await _graph.Value.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await imapSmtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ModernAuthException exception) when (exception.Category == ModernAuthErrorCategory.ProtocolDisabled)
        {
            // Refused at AUTH, before MAIL FROM: nothing was sent, so Graph sends it once.
            owner.SwitchToGraph(Account, exception);
        }

        await _graph.Value.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public Task<IncomingMailBatch> ReadNewAsync(string folder = MailFolderNames.Inbox, CancellationToken cancellationToken = default) =>
        imapSmtp.ReadNewAsync(folder, cancellationToken);

    public Task CommitAsync(IncomingMailBatch batch, CancellationToken cancellationToken = default) =>
        imapSmtp.CommitAsync(batch, cancellationToken);

    public Task MarkReadAsync(IncomingMessage message, CancellationToken cancellationToken = default) =>
        imapSmtp.MarkReadAsync(message, cancellationToken);

    public Task MoveAsync(IncomingMessage message, string destinationFolder, CancellationToken cancellationToken = default) =>
        imapSmtp.MoveAsync(message, destinationFolder, cancellationToken);

    public override string ToString() =>
        $"Auto transport of {Account.Address} (IMAP, {(SendsThroughGraph ? "Microsoft Graph" : "SMTP")} for sending)";
}
