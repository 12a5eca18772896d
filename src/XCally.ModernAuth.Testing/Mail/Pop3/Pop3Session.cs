using System.Globalization;
using System.Net.Sockets;
using System.Text;
using XCally.ModernAuth.Testing.Mail.Internal;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Mail.Pop3;

/// <summary>
/// A POP3 session like outlook.office365.com:995's: SASL XOAUTH2/OAUTHBEARER only (USER/PASS always fail), then STAT, LIST, UIDL, TOP,
/// RETR, DELE, RSET and QUIT, which removes the messages marked deleted. The session works on the inbox as it was at login.
/// </summary>
internal sealed class Pop3Session : MailSession
{
    private const string AuthenticationFailure = "-ERR Authentication failure: unknown user name or bad password.";

    private EmulatorMailbox? _mailbox;
    private EmulatorMailFolder? _inbox;
    private EmulatorStoredMessage[] _messages = [];
    private bool[] _deleted = [];

    public Pop3Session(MailServerContext context, Socket socket, MailListenerKind kind, CancellationToken serverToken)
        : base(context, socket, kind, serverToken)
    {
    }

    protected override string RefusalText => "-ERR Connection is refused: too many connections.\r\n";

    protected override async Task RunProtocolAsync(CancellationToken cancellationToken)
    {
        await ReplyAsync("+OK The Microsoft Exchange POP3 service is ready.", cancellationToken).ConfigureAwait(false);
        await RunVerbCommandsAsync(
            ExecuteAsync,
            QuitAsync,
            "-ERR Protocol error. Line too long.",
            "-ERR Too many invalid commands; closing the connection.",
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ExecuteAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "CAPA":
                await CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            case "NOOP":
                await ReplyAsync("+OK", cancellationToken).ConfigureAwait(false);
                return true;
            case "STLS" when _mailbox is null && !Connection.IsSecure:
                await ReplyAsync("+OK Begin TLS negotiation.", cancellationToken).ConfigureAwait(false);
                await Connection.StartTlsAsync(Context.Certificate, cancellationToken).ConfigureAwait(false);
                return true;
            case "AUTH" when _mailbox is null:
                return await AuthenticateAsync(argument, cancellationToken).ConfigureAwait(false);
            case "USER" when _mailbox is null:
                await ReplyAsync("+OK", cancellationToken).ConfigureAwait(false);
                return true;
            case "PASS" when _mailbox is null:
                Context.RecordAuthentication(MailProtocol.Pop3, MailAuthResult.Fail("USER/PASS: passwords are not accepted"));
                await ReplyAsync("-ERR Logon failure: unknown user name or bad password.", cancellationToken).ConfigureAwait(false);
                return false;
        }

        if (_mailbox is null)
        {
            var known = verb is "STAT" or "LIST" or "UIDL" or "RETR" or "TOP" or "DELE" or "RSET" or "STLS" or "AUTH" or "USER" or "PASS";
            await ReplyAsync(known ? "-ERR Command is not valid in this state." : "-ERR Protocol error. 14", cancellationToken).ConfigureAwait(false);
            return false;
        }

        switch (verb)
        {
            case "STAT":
                var live = Live().ToList();
                await ReplyAsync(string.Create(CultureInfo.InvariantCulture, $"+OK {live.Count} {live.Sum(m => (long)m.Message.Raw.Length)}"), cancellationToken).ConfigureAwait(false);
                return true;
            case "LIST":
            case "UIDL":
                return await ListAsync(verb == "UIDL", argument, cancellationToken).ConfigureAwait(false);
            case "RETR":
            case "TOP":
                return await RetrieveAsync(verb == "TOP", argument, cancellationToken).ConfigureAwait(false);
            case "DELE":
                if (!TryMessage(argument, out var index))
                {
                    break;
                }

                _deleted[index] = true;
                await ReplyAsync("+OK", cancellationToken).ConfigureAwait(false);
                return true;
            case "RSET":
                Array.Clear(_deleted);
                await ReplyAsync("+OK", cancellationToken).ConfigureAwait(false);
                return true;
            default:
                await ReplyAsync("-ERR Protocol error. 14", cancellationToken).ConfigureAwait(false);
                return false;
        }

        await ReplyAsync("-ERR The specified message is out of range.", cancellationToken).ConfigureAwait(false);
        return false;
    }

    private Task CapabilitiesAsync(CancellationToken cancellationToken)
    {
        var reply = new StringBuilder("+OK\r\nTOP\r\nUIDL\r\n");
        if (Connection.IsSecure)
        {
            reply.Append("SASL XOAUTH2 OAUTHBEARER\r\n");
        }
        else
        {
            reply.Append("STLS\r\n");
        }

        reply.Append("IMPLEMENTATION XCally.ModernAuth.Testing\r\n.\r\n");
        return Connection.WriteAsync(reply.ToString(), cancellationToken);
    }

    private async Task<bool> AuthenticateAsync(string argument, CancellationToken cancellationToken)
    {
        var (mechanism, initial) = MailText.SplitVerb(argument);
        if (!Connection.IsSecure || !OAuthSaslResponse.IsSupported(mechanism))
        {
            await ReplyAsync("-ERR Unrecognized authentication type.", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var result = await AuthenticateOAuthAsync(mechanism, initial.Length == 0 ? null : initial, "AUTH", "+ ", cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            await ReplyAsync("-ERR Authentication cancelled.", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (result.Outcome != MailAuthOutcome.Succeeded)
        {
            await ReplyAsync(result.Outcome == MailAuthOutcome.ConnectionLimit ? "-ERR " + ThrottledText : AuthenticationFailure, cancellationToken).ConfigureAwait(false);
            return false;
        }

        _mailbox = result.Mailbox!;
        _inbox = _mailbox.FindFolder(EmulatorMailbox.Inbox)!;
        _messages = _inbox.Snapshot();
        _deleted = new bool[_messages.Length];
        await ReplyAsync("+OK User successfully authenticated.", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> ListAsync(bool uids, string argument, CancellationToken cancellationToken)
    {
        string Entry(int i) => uids
            ? string.Create(CultureInfo.InvariantCulture, $"{i + 1} {UniqueId(_messages[i])}")
            : string.Create(CultureInfo.InvariantCulture, $"{i + 1} {_messages[i].Raw.Length}");

        if (argument.Length > 0)
        {
            if (!TryMessage(argument, out var index))
            {
                await ReplyAsync("-ERR The specified message is out of range.", cancellationToken).ConfigureAwait(false);
                return false;
            }

            await ReplyAsync("+OK " + Entry(index), cancellationToken).ConfigureAwait(false);
            return true;
        }

        var reply = new StringBuilder("+OK\r\n");
        foreach (var (_, i) in Live())
        {
            reply.Append(Entry(i)).Append("\r\n");
        }

        await Connection.WriteAsync(reply.Append(".\r\n").ToString(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string UniqueId(EmulatorStoredMessage message) =>
        string.Create(CultureInfo.InvariantCulture, $"{_inbox!.UidValidity}-{message.Uid}");

    private async Task<bool> RetrieveAsync(bool top, string argument, CancellationToken cancellationToken)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lines = 0;
        if (parts.Length != (top ? 2 : 1) || !TryMessage(parts[0], out var index) || (top && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out lines)))
        {
            await ReplyAsync("-ERR The specified message is out of range.", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var raw = _messages[index].Raw;
        using var reply = new MemoryStream(raw.Length + 1024);
        reply.Write("+OK\r\n"u8);
        var inBody = false;
        var bodyLines = 0;
        var start = 0;
        while (start < raw.Length)
        {
            var end = Array.IndexOf(raw, (byte)'\n', start);
            var next = end < 0 ? raw.Length : end + 1;
            var lineEnd = end < 0 ? raw.Length : (end > start && raw[end - 1] == '\r' ? end - 1 : end);
            if (top && inBody && bodyLines++ >= lines)
            {
                break;
            }

            if (raw[start] == (byte)'.' && lineEnd > start)
            {
                reply.WriteByte((byte)'.');
            }
            else if (lineEnd == start)
            {
                inBody = true;
            }

            reply.Write(raw, start, lineEnd - start);
            reply.Write("\r\n"u8);
            start = next;
        }

        reply.Write(".\r\n"u8);
        await Connection.WriteAsync(reply.GetBuffer().AsMemory(0, (int)reply.Length), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task QuitAsync(CancellationToken cancellationToken)
    {
        if (_inbox is not null)
        {
            _inbox.Remove([.. Live(deleted: true).Select(m => m.Message.Uid)]);
        }

        await ReplyAsync("+OK Microsoft Exchange Server POP3 server signing off.", cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<(EmulatorStoredMessage Message, int Index)> Live(bool deleted = false)
    {
        for (var i = 0; i < _messages.Length; i++)
        {
            if (_deleted[i] == deleted)
            {
                yield return (_messages[i], i);
            }
        }
    }

    private bool TryMessage(string argument, out int index)
    {
        index = int.TryParse(argument.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number - 1 : -1;
        return index >= 0 && index < _messages.Length && !_deleted[index];
    }

}
