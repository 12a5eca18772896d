using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Internal;

namespace XCally.ModernAuth.Testing.Mail.Smtp;

/// <summary>
/// An SMTP submission session like smtp.office365.com's: EHLO, STARTTLS, AUTH XOAUTH2/OAUTHBEARER only after TLS, then MAIL, RCPT and DATA;
/// submitted messages go to the recipients' inboxes and a copy to the sender's Sent Items.
/// </summary>
/// <remarks>
/// <para>
/// Like Exchange Online, any <c>MAIL FROM</c> is accepted and the sender's rights are applied when the message is submitted, at the end
/// of DATA: its From must be the identity's own mailbox (the delegated token's user, or the mailbox an application logged in to), one
/// that grants the identity Send As, or, with <c>Sender:</c> the user, one that grants them Send on Behalf; otherwise
/// <c>554 5.2.252 SendAsDenied</c>. An application without Full Access to the mailbox it logged in to gets
/// <c>430 4.2.0 STOREDRV; mailbox logon failure</c>.
/// </para>
/// <para>
/// A recipient in an emulator tenant's domain without a mailbox is refused with Exchange's <c>550 5.1.10</c>; a recipient in any other
/// domain is accepted and the message to it dropped, as a relay to the internet would take it out of sight.
/// </para>
/// </remarks>
internal sealed partial class SmtpSession : MailSession
{
    /// <summary>The longest line accepted inside DATA; RFC 5321 allows 1000, real clients stay well below this.</summary>
    private const int MaxDataLineLength = 1024 * 1024;

    private readonly List<EmulatorMailbox> _recipients = [];
    private readonly HashSet<string> _recipientAddresses = new(StringComparer.OrdinalIgnoreCase);
    private string? _helo;
    private MailAuthResult? _authentication;
    private string? _sender;

    public SmtpSession(MailServerContext context, Socket socket, MailListenerKind kind, CancellationToken serverToken)
        : base(context, socket, kind, serverToken)
    {
    }

    protected override string RefusalText => "421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel\r\n";

    protected override async Task RunProtocolAsync(CancellationToken cancellationToken)
    {
        await ReplyAsync($"220 {HostName} Microsoft ESMTP MAIL Service ready at {MailText.Rfc5322Date(Context.TimeProvider.GetUtcNow())}", cancellationToken).ConfigureAwait(false);
        await RunVerbCommandsAsync(
            ExecuteAsync,
            token => ReplyAsync("221 2.0.0 Service closing transmission channel", token),
            "500 5.5.2 Line too long",
            "421 4.7.0 Too many errors on this connection, closing transmission channel",
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ExecuteAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "EHLO":
            case "HELO":
                return await HelloAsync(verb, argument, cancellationToken).ConfigureAwait(false);
            case "STARTTLS":
                return await StartTlsAsync(cancellationToken).ConfigureAwait(false);
            case "AUTH":
                return await AuthenticateAsync(argument, cancellationToken).ConfigureAwait(false);
            case "MAIL":
                return await MailFromAsync(argument, cancellationToken).ConfigureAwait(false);
            case "RCPT":
                return await RecipientAsync(argument, cancellationToken).ConfigureAwait(false);
            case "DATA":
                return await DataAsync(cancellationToken).ConfigureAwait(false);
            case "RSET":
                ResetTransaction();
                await ReplyAsync("250 2.0.0 Resetting", cancellationToken).ConfigureAwait(false);
                return true;
            case "NOOP":
                await ReplyAsync("250 2.0.0 OK", cancellationToken).ConfigureAwait(false);
                return true;
            case "VRFY":
                await ReplyAsync("252 2.1.5 Cannot VRFY user, but will accept message for delivery", cancellationToken).ConfigureAwait(false);
                return true;
            default:
                await ReplyAsync($"500 5.3.3 Unrecognized command '{MailText.Printable(verb)}'", cancellationToken).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> HelloAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length == 0)
        {
            await ReplyAsync("501 5.5.4 Invalid domain name", cancellationToken).ConfigureAwait(false);
            return false;
        }

        _helo = argument;
        ResetTransaction();
        if (verb == "HELO")
        {
            await ReplyAsync($"250 {HostName} Hello [127.0.0.1]", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var lines = new List<string> { $"{HostName} Hello [127.0.0.1]", $"SIZE {Context.Options.MaxMessageSize}", "PIPELINING", "ENHANCEDSTATUSCODES" };
        if (Connection.IsSecure)
        {
            // Like Exchange Online, AUTH is offered only under TLS; LOGIN is listed but always refused (passwords are retired).
            lines.Add("AUTH LOGIN XOAUTH2 OAUTHBEARER");
        }
        else
        {
            lines.Add("STARTTLS");
        }

        lines.Add("8BITMIME");
        var reply = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            reply.Append("250").Append(i == lines.Count - 1 ? ' ' : '-').Append(lines[i]).Append("\r\n");
        }

        await Connection.WriteAsync(reply.ToString(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> StartTlsAsync(CancellationToken cancellationToken)
    {
        if (Connection.IsSecure)
        {
            await ReplyAsync("503 5.5.1 Bad sequence of commands", cancellationToken).ConfigureAwait(false);
            return false;
        }

        await ReplyAsync("220 2.0.0 SMTP server ready", cancellationToken).ConfigureAwait(false);
        await Connection.StartTlsAsync(Context.Certificate, cancellationToken).ConfigureAwait(false);
        _helo = null;
        ResetTransaction();
        return true;
    }

    private async Task<bool> AuthenticateAsync(string argument, CancellationToken cancellationToken)
    {
        var (mechanism, initial) = MailText.SplitVerb(argument);
        if (!Connection.IsSecure || mechanism.Length == 0 || !(OAuthSaslResponse.IsSupported(mechanism) || mechanism == "LOGIN"))
        {
            await ReplyAsync($"504 5.7.4 Unrecognized authentication type [{HostName}]", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (_authentication is not null || _sender is not null)
        {
            await ReplyAsync("503 5.5.1 Bad sequence of commands", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (mechanism == "LOGIN")
        {
            await ReplyAsync($"535 5.7.3 Authentication unsuccessful [{HostName}]", cancellationToken).ConfigureAwait(false);
            Context.RecordAuthentication(MailProtocol.Smtp, MailAuthResult.Fail("AUTH LOGIN: passwords are not accepted"));
            return false;
        }

        var result = await AuthenticateOAuthAsync(mechanism, initial.Length == 0 ? null : initial, "AUTH", "334 ", cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            await ReplyAsync("501 5.7.0 Authentication cancelled", cancellationToken).ConfigureAwait(false);
            return false;
        }

        switch (result.Outcome)
        {
            case MailAuthOutcome.Succeeded:
                _authentication = result;
                await ReplyAsync("235 2.7.0 Authentication successful", cancellationToken).ConfigureAwait(false);
                return true;
            case MailAuthOutcome.ConnectionLimit:
                await ReplyAsync($"432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname={HostName}]", cancellationToken).ConfigureAwait(false);
                return false;
            case MailAuthOutcome.SmtpAuthDisabled:
                await ReplyAsync($"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [{HostName}]", cancellationToken).ConfigureAwait(false);
                return false;
            default:
                await ReplyAsync($"535 5.7.3 Authentication unsuccessful [{HostName}]", cancellationToken).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> MailFromAsync(string argument, CancellationToken cancellationToken)
    {
        if (_authentication is null)
        {
            await ReplyAsync($"530 5.7.57 Client not authenticated to send mail. [{HostName}]", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (_helo is null)
        {
            await ReplyAsync("503 5.5.2 Send hello first", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (_sender is not null)
        {
            await ReplyAsync("503 5.5.1 Bad sequence of commands", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var match = MailFromPattern().Match(argument);
        if (!match.Success)
        {
            await ReplyAsync("501 5.5.4 Invalid arguments", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var sizeParameter = SizeParameterPattern().Match(match.Groups["params"].Value);
        if (sizeParameter.Success && (!long.TryParse(sizeParameter.Groups["size"].Value, out var size) || size > Context.Options.MaxMessageSize))
        {
            await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", cancellationToken).ConfigureAwait(false);
            return false;
        }

        // Exchange Online takes any envelope sender here and applies Send As to the message at submission.
        _sender = match.Groups["address"].Value;
        await ReplyAsync("250 2.1.0 Sender OK", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> RecipientAsync(string argument, CancellationToken cancellationToken)
    {
        if (_sender is null)
        {
            await ReplyAsync("503 5.5.1 Bad sequence of commands", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var match = RecipientPattern().Match(argument);
        if (!match.Success || !match.Groups["address"].Value.Contains('@', StringComparison.Ordinal))
        {
            await ReplyAsync("501 5.1.3 Invalid address", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (_recipientAddresses.Count >= Context.Options.MaxRecipients)
        {
            await ReplyAsync("452 4.5.3 Too many recipients", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var address = match.Groups["address"].Value;
        var mailbox = Context.Directory.FindMailbox(address);
        if (mailbox is null && IsTenantDomain(address[(address.LastIndexOf('@') + 1)..]))
        {
            await ReplyAsync($"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient {MailText.Printable(address, 254)} not found by SMTP address lookup", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (_recipientAddresses.Add(address) && mailbox is not null)
        {
            _recipients.Add(mailbox);
        }

        await ReplyAsync("250 2.1.5 Recipient OK", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private bool IsTenantDomain(string domain) =>
        Context.Directory.Tenants.Any(t => string.Equals(t.Domain, domain, StringComparison.OrdinalIgnoreCase));

    private async Task<bool> DataAsync(CancellationToken cancellationToken)
    {
        if (_sender is null || _recipientAddresses.Count == 0)
        {
            await ReplyAsync("503 5.5.1 Bad sequence of commands", cancellationToken).ConfigureAwait(false);
            return false;
        }

        await ReplyAsync("354 Start mail input; end with <CRLF>.<CRLF>", cancellationToken).ConfigureAwait(false);
        using var content = new MemoryStream();
        var tooBig = false;
        while (true)
        {
            var (status, line) = await Connection.ReadLineBytesAsync(MaxDataLineLength, cancellationToken).ConfigureAwait(false);
            if (status == MailLineStatus.Closed)
            {
                throw new IOException("The client closed the connection during DATA.");
            }

            if (status == MailLineStatus.Line && line is [(byte)'.'])
            {
                break;
            }

            // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
            var start = line is [(byte)'.', ..] ? 1 : 0;
            if (status == MailLineStatus.TooLong || content.Length + line.Length + 2 - start > Context.Options.MaxMessageSize)
            {
                tooBig = true;
                continue;
            }

            if (!tooBig)
            {
                content.Write(line, start, line.Length - start);
                content.Write("\r\n"u8);
            }
        }

        if (tooBig)
        {
            ResetTransaction();
            await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var raw = content.ToArray();
        var message = await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), cancellationToken).ConfigureAwait(false);
        if (SubmissionRefusal(message) is { } refusal)
        {
            ResetTransaction();
            await ReplyAsync(refusal, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var now = Context.TimeProvider.GetUtcNow();
        foreach (var mailbox in _recipients)
        {
            mailbox.DeliverRaw(raw, mailbox.FindFolder(EmulatorMailbox.Inbox)!, now);
        }

        var sender = Context.Directory.FindMailbox(_sender) ?? _authentication!.Mailbox!;
        sender.DeliverRaw(raw, sender.FindFolder(EmulatorMailbox.SentItems)!, now, ["\\Seen"]);
        ResetTransaction();
        await ReplyAsync($"250 2.0.0 OK <{MailText.Printable(message.MessageId ?? "none", 200)}> [Hostname={HostName}]", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>What Exchange Online's store driver answers a submission the identity may not make, or <see langword="null"/>.</summary>
    private string? SubmissionRefusal(MimeMessage message)
    {
        var authentication = _authentication!;
        var logon = authentication.Mailbox!;
        EmulatorUser? user = null;
        EmulatorApplication? application = null;
        if (authentication.IsAppOnly)
        {
            application = Context.Directory.FindApplication(authentication.ClientId!);
            if (!logon.HasFullAccess(authentication.ClientId!))
            {
                return "430 4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:ConnectionFailedTransientException.MapiExceptionLogonFailed; "
                    + "Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox.";
            }
        }
        else
        {
            user = Context.Directory.FindUser(authentication.UserPrincipalName!);
        }

        var sender = message.Sender?.Address;
        var from = message.From.Mailboxes.Select(m => m.Address).DefaultIfEmpty(_sender!);
        foreach (var address in from)
        {
            if (!MaySendFrom(address, sender, logon, user, application))
            {
                var who = user?.UserPrincipalName ?? logon.Address;
                return $"554 5.2.252 SendAsDenied; {MailText.Printable(who, 254)} not allowed to send as {MailText.Printable(address, 254)}; "
                    + "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent "
                    + "exception with message [BeginDiagnosticData]Cannot submit message.";
            }
        }

        return null;
    }

    // The identity's own mailbox, one that grants it Send As, or (a user, with Sender: themselves) one that grants them Send on Behalf.
    private bool MaySendFrom(string address, string? sender, EmulatorMailbox logon, EmulatorUser? user, EmulatorApplication? application)
    {
        if (string.Equals(address, logon.Address, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Context.Directory.FindMailbox(address) is not { } mailbox || mailbox.Tenant != logon.Tenant)
        {
            return false;
        }

        if (application is not null)
        {
            return mailbox.HasSendAs(application);
        }

        return user is not null
            && (mailbox.HasSendAs(user)
                || (string.Equals(sender, logon.Address, StringComparison.OrdinalIgnoreCase) && mailbox.HasSendOnBehalf(user)));
    }

    private void ResetTransaction()
    {
        _sender = null;
        _recipients.Clear();
        _recipientAddresses.Clear();
    }


    [GeneratedRegex(@"^FROM:\s*<(?<address>[^<>\s]*)>(?<params>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MailFromPattern();

    [GeneratedRegex(@"^TO:\s*<(?<address>[^<>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex RecipientPattern();

    [GeneratedRegex(@"(?:^|\s)SIZE=(?<size>\d{1,18})(?:\s|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SizeParameterPattern();
}
