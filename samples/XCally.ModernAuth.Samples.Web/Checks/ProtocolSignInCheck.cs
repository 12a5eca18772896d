using System.Globalization;
using XCally.ModernAuth.Samples.Web.Status;

namespace XCally.ModernAuth.Samples.Web.Checks;

/// <summary>
/// Checks an account the way the host will use it: the provider's token from the identity platform, then for each enabled protocol a
/// connection to the account's endpoint, TLS and an XOAUTH2/OAUTHBEARER sign-in through <see cref="IMailClientConnector"/>. Each
/// result is recorded on the <see cref="AccountActivity"/> board for the Status page. A failure shows the SDK's own words and fix
/// (<see cref="ModernAuthException.Advice"/>); after a failed token, the protocols are not tried.
/// </summary>
public sealed class ProtocolSignInCheck(ITokenProvider tokens, IMailClientConnector connector, AccountActivity activity, TimeProvider timeProvider) : IAccountCheck
{
    public async Task<CheckReport> RunAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var steps = new List<CheckStep>();
        var tokenStep = await TokenAsync(account, cancellationToken);
        steps.Add(tokenStep);
        foreach (var protocol in new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp })
        {
            if (account.GetEndpoint(protocol) is not { } endpoint)
            {
                continue;
            }

            var title = $"{Name(protocol)}: connect to {endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)} ({endpoint.TlsMode}) and sign in";
            steps.Add(tokenStep.Outcome == CheckOutcome.Passed
                ? await SignInAsync(account, protocol, title, cancellationToken)
                : new CheckStep(title, CheckOutcome.NotRun, "Not tried: there is no token to sign in with."));
        }

        return new CheckReport(account.Address, timeProvider.GetUtcNow(), steps);
    }

    private async Task<CheckStep> TokenAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        const string Title = "Token from the identity platform";
        try
        {
            var token = await tokens.GetAccessTokenAsync(account, TokenResource.ExchangeOnline, cancellationToken);
            return new CheckStep(Title, CheckOutcome.Passed, $"A token for {string.Join(", ", token.Scopes)}, valid until {token.ExpiresOn.ToLocalTime():yyyy-MM-dd HH:mm} ({token.Source}).");
        }
        catch (ModernAuthException exception)
        {
            return Failed(Title, exception);
        }
    }

    private async Task<CheckStep> SignInAsync(EmailAccount account, MailProtocol protocol, string title, CancellationToken cancellationToken)
    {
        try
        {
            string detail;
            switch (protocol)
            {
                case MailProtocol.Imap:
                    using (var imap = await connector.ConnectImapAsync(account, cancellationToken))
                    {
                        var inbox = imap.Inbox;
                        await inbox.OpenAsync(MailKit.FolderAccess.ReadOnly, cancellationToken);
                        detail = $"Signed in; INBOX holds {inbox.Count.ToString(CultureInfo.InvariantCulture)} message(s).";
                        await imap.DisconnectAsync(quit: true, cancellationToken);
                    }

                    break;
                case MailProtocol.Pop3:
                    using (var pop3 = await connector.ConnectPop3Async(account, cancellationToken))
                    {
                        detail = $"Signed in; {pop3.Count.ToString(CultureInfo.InvariantCulture)} message(s) to download.";
                        await pop3.DisconnectAsync(quit: true, cancellationToken);
                    }

                    break;
                default:
                    using (var smtp = await connector.ConnectSmtpAsync(account, cancellationToken))
                    {
                        detail = "Signed in; ready to send.";
                        await smtp.DisconnectAsync(quit: true, cancellationToken);
                    }

                    break;
            }

            activity.RecordSignIn(account.Address, protocol, succeeded: true, detail);
            return new CheckStep(title, CheckOutcome.Passed, detail);
        }
        catch (ModernAuthException exception)
        {
            activity.RecordSignIn(account.Address, protocol, succeeded: false, exception.Message);
            return Failed(title, exception);
        }
    }

    private static CheckStep Failed(string title, ModernAuthException exception) =>
        new(title, CheckOutcome.Failed, $"{exception.Category}: {Summary(exception)}", exception.Advice, exception.ErrorCode, exception.CorrelationId);

    // The message ends with the advice, which the page shows on its own.
    private static string Summary(ModernAuthException exception) =>
        exception.Advice is { Length: > 0 } advice && exception.Message.EndsWith(advice, StringComparison.Ordinal)
            ? exception.Message[..^advice.Length].TrimEnd()
            : exception.Message;

    public static string Name(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => "IMAP",
        MailProtocol.Pop3 => "POP3",
        _ => "SMTP",
    };
}
