using System.Globalization;
using System.Net.Sockets;
using System.Text;
using XCally.ModernAuth.Testing.Mail.Internal;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>
/// An IMAP4rev1 session like outlook.office365.com:993's, with the subset MailKit uses: AUTHENTICATE XOAUTH2/OAUTHBEARER (SASL-IR or
/// continuation), LIST, SELECT/EXAMINE, STATUS, SEARCH, FETCH, STORE, COPY/MOVE, APPEND, EXPUNGE, CLOSE/UNSELECT, IDLE, NOOP and LOGOUT.
/// </summary>
internal sealed partial class ImapSession : MailSession
{
    private const string Capabilities = "IMAP4 IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";
    private const string PlainCapabilities = "IMAP4 IMAP4rev1 STARTTLS LOGINDISABLED UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";
    private const string NotConnectedText = "BAD User is authenticated but not connected.";

    private ImapState _state = ImapState.NotAuthenticated;
    private EmulatorMailbox? _mailbox;
    private EmulatorMailFolder? _folder;
    private bool _readOnly;
    private List<uint> _view = [];
    private int _notConnectedCommands;

    public ImapSession(MailServerContext context, Socket socket, MailListenerKind kind, CancellationToken serverToken)
        : base(context, socket, kind, serverToken)
    {
    }

    private enum ImapState
    {
        NotAuthenticated,
        NotConnected,
        Authenticated,
        Selected,
        Logout,
    }

    protected override string RefusalText => "* BYE Connection is refused: too many connections.\r\n";

    protected override async Task RunProtocolAsync(CancellationToken cancellationToken)
    {
        await ReplyAsync("* OK The Microsoft Exchange IMAP4 service is ready.", cancellationToken).ConfigureAwait(false);
        while (_state != ImapState.Logout)
        {
            var command = await ReadCommandAsync(cancellationToken).ConfigureAwait(false);
            bool good;
            switch (command.Status)
            {
                case ImapReadStatus.Closed:
                    return;
                case ImapReadStatus.Fatal:
                    await ReplyAsync($"* BYE {command.Error}", cancellationToken).ConfigureAwait(false);
                    return;
                case ImapReadStatus.Bad:
                    await ReplyAsync($"{command.Tag} BAD {command.Error}", cancellationToken).ConfigureAwait(false);
                    good = false;
                    break;
                default:
                    good = await DispatchAsync(command.Tag, command.Tokens, cancellationToken).ConfigureAwait(false);
                    break;
            }

            if (good)
            {
                ResetBadCommands();
            }
            else if (_state != ImapState.Logout && CountBadCommand())
            {
                await ReplyAsync("* BYE Connection closed. 14", cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<bool> DispatchAsync(string tag, List<ImapToken> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count < 2 || tokens[1].Kind != ImapTokenKind.Atom)
        {
            await ReplyAsync($"{tag} BAD Command Error. 12", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var name = tokens[1].Text.ToUpperInvariant();
        var uid = false;
        var args = tokens.GetRange(2, tokens.Count - 2);
        if (name == "UID")
        {
            if (args.Count == 0 || args[0].Kind != ImapTokenKind.Atom)
            {
                await ReplyAsync($"{tag} BAD Command Argument Error. 11", cancellationToken).ConfigureAwait(false);
                return false;
            }

            uid = true;
            name = args[0].Text.ToUpperInvariant();
            args.RemoveAt(0);
        }

        if (_state == ImapState.NotConnected && name is not ("CAPABILITY" or "LOGOUT" or "ID"))
        {
            // Exchange Online: a valid token without access to the mailbox logs in, then every command fails and the server hangs up.
            await ReplyAsync($"{tag} {NotConnectedText}", cancellationToken).ConfigureAwait(false);
            if (++_notConnectedCommands >= 2)
            {
                await ReplyAsync("* BYE Connection closed. 14", cancellationToken).ConfigureAwait(false);
                _state = ImapState.Logout;
            }

            return true;
        }

        var result = await ExecuteAsync(tag, name, uid, args, cancellationToken).ConfigureAwait(false);
        if (result is { } text)
        {
            // Tell the client about mail that arrived meanwhile before the tagged reply, as servers do after most commands.
            if (_state == ImapState.Selected && text.StartsWith("OK", StringComparison.Ordinal) && name is not ("FETCH" or "STORE" or "SEARCH"))
            {
                await SynchronizeAsync(reportExpunges: name is "NOOP" or "CHECK" || uid, cancellationToken).ConfigureAwait(false);
            }

            await ReplyAsync($"{tag} {text}", cancellationToken).ConfigureAwait(false);
            return !text.StartsWith("BAD", StringComparison.Ordinal);
        }

        return true;
    }

    /// <summary>Runs a command.</summary>
    /// <returns>The tagged reply's text (<c>OK …</c>, <c>NO …</c>, <c>BAD …</c>), or <see langword="null"/> when the command wrote it itself.</returns>
    private async Task<string?> ExecuteAsync(string tag, string name, bool uid, List<ImapToken> args, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "CAPABILITY":
                await ReplyAsync("* CAPABILITY " + (Connection.IsSecure ? Capabilities : PlainCapabilities), cancellationToken).ConfigureAwait(false);
                return "OK CAPABILITY completed.";
            case "NOOP":
            case "CHECK" when _state == ImapState.Selected:
                return $"OK {name} completed.";
            case "LOGOUT":
                await ReplyAsync("* BYE Microsoft Exchange Server IMAP4 server signing off.", cancellationToken).ConfigureAwait(false);
                _state = ImapState.Logout;
                return "OK LOGOUT completed.";
            case "ID":
                await ReplyAsync("* ID (\"name\" \"XCally.ModernAuth.Testing\" \"vendor\" \"XCally\")", cancellationToken).ConfigureAwait(false);
                return "OK ID completed.";
            case "STARTTLS" when _state == ImapState.NotAuthenticated && !Connection.IsSecure:
                await ReplyAsync($"{tag} OK Begin TLS negotiation now.", cancellationToken).ConfigureAwait(false);
                await Connection.StartTlsAsync(Context.Certificate, cancellationToken).ConfigureAwait(false);
                return null;
            case "LOGIN" when _state == ImapState.NotAuthenticated:
                Context.RecordAuthentication(MailProtocol.Imap, MailAuthResult.Fail("LOGIN: passwords are not accepted"));
                return "NO LOGIN failed.";
            case "AUTHENTICATE" when _state == ImapState.NotAuthenticated:
                return await AuthenticateAsync(args, cancellationToken).ConfigureAwait(false);
        }

        if (_state == ImapState.NotAuthenticated)
        {
            return IsKnownCommand(name) ? $"BAD Command received in Invalid state." : "BAD Command Error. 12";
        }

        switch (name)
        {
            case "NAMESPACE":
                await ReplyAsync("* NAMESPACE ((\"\" \"/\")) NIL NIL", cancellationToken).ConfigureAwait(false);
                return "OK NAMESPACE completed.";
            case "LIST":
            case "LSUB":
                return await ListAsync(name, args, cancellationToken).ConfigureAwait(false);
            case "SUBSCRIBE":
            case "UNSUBSCRIBE":
                return $"OK {name} completed.";
            case "SELECT":
            case "EXAMINE":
                return await SelectAsync(name == "EXAMINE", args, cancellationToken).ConfigureAwait(false);
            case "STATUS":
                return await StatusAsync(args, cancellationToken).ConfigureAwait(false);
            case "APPEND":
                return Append(args);
            case "CREATE":
            case "DELETE":
            case "RENAME":
                return $"NO {name} is not supported by the emulator.";
            case "IDLE":
                return await IdleAsync(tag, cancellationToken).ConfigureAwait(false);
        }

        if (_state != ImapState.Selected)
        {
            return IsKnownCommand(name) ? "BAD Command received in Invalid state." : "BAD Command Error. 12";
        }

        return name switch
        {
            "CLOSE" => Close(expunge: true),
            "UNSELECT" => Close(expunge: false),
            "EXPUNGE" => await ExpungeAsync(uid ? args : null, cancellationToken).ConfigureAwait(false),
            "SEARCH" => await SearchAsync(uid, args, cancellationToken).ConfigureAwait(false),
            "FETCH" => await FetchAsync(uid, args, cancellationToken).ConfigureAwait(false),
            "STORE" => await StoreAsync(uid, args, cancellationToken).ConfigureAwait(false),
            "COPY" or "MOVE" => await CopyAsync(uid, name == "MOVE", args, cancellationToken).ConfigureAwait(false),
            _ => "BAD Command Error. 12",
        };
    }

    private static bool IsKnownCommand(string name) => name is "NAMESPACE" or "LIST" or "LSUB" or "SUBSCRIBE" or "UNSUBSCRIBE" or "SELECT" or "EXAMINE"
        or "STATUS" or "APPEND" or "CREATE" or "DELETE" or "RENAME" or "IDLE" or "CLOSE" or "UNSELECT" or "EXPUNGE" or "SEARCH" or "FETCH"
        or "STORE" or "COPY" or "MOVE" or "CHECK" or "LOGIN" or "AUTHENTICATE" or "STARTTLS";

    private async Task<string?> AuthenticateAsync(List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count is 0 or > 2 || !args.TrueForAll(a => a.IsAtomOrString))
        {
            return "BAD Command Argument Error. 11";
        }

        var mechanism = args[0].Text.ToUpperInvariant();
        if (!Connection.IsSecure || !OAuthSaslResponse.IsSupported(mechanism))
        {
            Context.RecordAuthentication(MailProtocol.Imap, MailAuthResult.Fail($"mechanism {MailText.Printable(mechanism)} is not offered"));
            return "NO AUTHENTICATE failed.";
        }

        var initial = args.Count == 2 ? args[1].Text : null;
        var result = await AuthenticateOAuthAsync(mechanism, initial, "AUTHENTICATE", "+ ", cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return "BAD AUTHENTICATE cancelled.";
        }

        switch (result.Outcome)
        {
            case MailAuthOutcome.Succeeded:
                _mailbox = result.Mailbox;
                _state = ImapState.Authenticated;
                return "OK AUTHENTICATE completed.";
            case MailAuthOutcome.NotConnected:
                _state = ImapState.NotConnected;
                return "OK AUTHENTICATE completed.";
            case MailAuthOutcome.ConnectionLimit:
                return "NO " + ThrottledText;
            default:
                return "NO AUTHENTICATE failed.";
        }
    }

    private async Task<string> ListAsync(string name, List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count != 2 || !args.TrueForAll(a => a.IsAtomOrString))
        {
            return "BAD Command Argument Error. 11";
        }

        var reference = args[0].Utf8Text;
        var pattern = reference + args[1].Utf8Text;
        var output = new StringBuilder();
        if (pattern.Length == 0)
        {
            output.Append("* ").Append(name).Append(" (\\Noselect \\HasChildren) \"/\" \"\"\r\n");
        }
        else
        {
            foreach (var folder in _mailbox!.MailFolders)
            {
                if (Matches(pattern, folder.Name))
                {
                    var builder = new ImapResponseBuilder().Append($"* {name} (\\HasNoChildren) \"/\" ").AppendString(folder.Name);
                    output.Append(Encoding.UTF8.GetString(builder.ToMemory().Span)).Append("\r\n");
                }
            }
        }

        if (output.Length > 0)
        {
            await Connection.WriteAsync(output.ToString(), cancellationToken).ConfigureAwait(false);
        }

        return $"OK {name} completed.";
    }

    /// <summary>IMAP LIST wildcards: <c>*</c> matches anything, <c>%</c> anything but the hierarchy delimiter; INBOX in any case.</summary>
    private static bool Matches(string pattern, string name)
    {
        if (pattern.Length > 256)
        {
            return false;
        }

        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("%", "[^/]*", StringComparison.Ordinal) + "$";
        var options = System.Text.RegularExpressions.RegexOptions.CultureInvariant
            | (string.Equals(name, EmulatorMailbox.Inbox, StringComparison.Ordinal) ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : System.Text.RegularExpressions.RegexOptions.None);
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, options, TimeSpan.FromSeconds(1));
    }

    private async Task<string> SelectAsync(bool readOnly, List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count < 1 || !args[0].IsAtomOrString)
        {
            return "BAD Command Argument Error. 11";
        }

        _state = ImapState.Authenticated;
        _folder = null;
        var folder = _mailbox!.FindFolder(args[0].Utf8Text);
        if (folder is null)
        {
            return "NO Folder not found.";
        }

        var messages = folder.Snapshot();
        _folder = folder;
        _readOnly = readOnly;
        _view = [.. messages.Select(m => m.Uid)];
        _state = ImapState.Selected;
        var firstUnseen = Array.FindIndex(messages, m => !m.HasFlag("\\Seen"));
        var output = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"* {messages.Length} EXISTS\r\n")
            .Append("* 0 RECENT\r\n")
            .Append("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)\r\n")
            .Append("* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)] Permanent flags\r\n");
        if (firstUnseen >= 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"* OK [UNSEEN {firstUnseen + 1}] Is the first unseen message\r\n");
        }

        output.Append(CultureInfo.InvariantCulture, $"* OK [UIDVALIDITY {folder.UidValidity}] UIDVALIDITY value\r\n")
            .Append(CultureInfo.InvariantCulture, $"* OK [UIDNEXT {folder.UidNext}] The next unique identifier value\r\n");
        await Connection.WriteAsync(output.ToString(), cancellationToken).ConfigureAwait(false);
        return readOnly ? "OK [READ-ONLY] EXAMINE completed." : "OK [READ-WRITE] SELECT completed.";
    }

    private async Task<string> StatusAsync(List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count != 2 || !args[0].IsAtomOrString || args[1].Kind != ImapTokenKind.List)
        {
            return "BAD Command Argument Error. 11";
        }

        var folder = _mailbox!.FindFolder(args[0].Utf8Text);
        if (folder is null)
        {
            return "NO Folder not found.";
        }

        var messages = folder.Snapshot();
        var items = new List<string>();
        foreach (var item in args[1].Children)
        {
            var key = item.Text.ToUpperInvariant();
            uint? value = key switch
            {
                "MESSAGES" => (uint)messages.Length,
                "RECENT" => 0,
                "UIDNEXT" => folder.UidNext,
                "UIDVALIDITY" => folder.UidValidity,
                "UNSEEN" => (uint)messages.Count(m => !m.HasFlag("\\Seen")),
                _ => null,
            };
            if (value is null)
            {
                return "BAD Command Argument Error. 11";
            }

            items.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {value}"));
        }

        var line = new ImapResponseBuilder().Append("* STATUS ").AppendString(folder.Name).Append($" ({string.Join(' ', items)})\r\n");
        await Connection.WriteAsync(line.ToMemory(), cancellationToken).ConfigureAwait(false);
        return "OK STATUS completed.";
    }

    private string Close(bool expunge)
    {
        if (expunge && !_readOnly)
        {
            _folder!.Remove([.. _folder.Snapshot().Where(m => m.HasFlag("\\Deleted")).Select(m => m.Uid)]);
        }

        _state = ImapState.Authenticated;
        _folder = null;
        _view = [];
        return expunge ? "OK CLOSE completed." : "OK UNSELECT completed.";
    }

    private async Task<string?> IdleAsync(string tag, CancellationToken cancellationToken)
    {
        await ReplyAsync("+ IDLE accepted, awaiting DONE command.", cancellationToken).ConfigureAwait(false);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(Context.Options.IdleTimeout, Context.TimeProvider, idle.Token);

        // The DONE line is read without the normal read timeout: an idling client may stay silent until IdleTimeout.
        var done = Connection.Reader.ReadLineAsync(Context.Options.MaxLineLength, idle.Token).AsTask();
        try
        {
            while (true)
            {
                var changed = _folder?.WhenChanged() ?? Task.Delay(Timeout.Infinite, idle.Token);
                if (_state == ImapState.Selected)
                {
                    await SynchronizeAsync(reportExpunges: true, cancellationToken).ConfigureAwait(false);
                }

                var first = await Task.WhenAny(done, changed, timeout).ConfigureAwait(false);
                if (first == timeout)
                {
                    await ReplyAsync("* BYE Connection closed. 14", cancellationToken).ConfigureAwait(false);
                    _state = ImapState.Logout;
                    return null;
                }

                if (first == done)
                {
                    var (status, line) = await done.ConfigureAwait(false);
                    if (status == MailLineStatus.Closed)
                    {
                        _state = ImapState.Logout;
                        return null;
                    }

                    return status == MailLineStatus.Line && Encoding.Latin1.GetString(line).Trim().Equals("DONE", StringComparison.OrdinalIgnoreCase)
                        ? "OK IDLE completed."
                        : "BAD Command Argument Error. 11";
                }
            }
        }
        finally
        {
            await idle.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(done, timeout).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Reports messages added (EXISTS) and, where allowed, removed (EXPUNGE) by others since the view was last in step.</summary>
    private async Task SynchronizeAsync(bool reportExpunges, CancellationToken cancellationToken)
    {
        var current = _folder!.Snapshot();
        var output = new StringBuilder();
        if (reportExpunges)
        {
            var present = current.Select(m => m.Uid).ToHashSet();
            for (var i = _view.Count - 1; i >= 0; i--)
            {
                if (!present.Contains(_view[i]))
                {
                    _view.RemoveAt(i);
                    output.Append(CultureInfo.InvariantCulture, $"* {i + 1} EXPUNGE\r\n");
                }
            }
        }

        var last = _view.Count == 0 ? 0 : _view[^1];
        var added = current.Where(m => m.Uid > last).Select(m => m.Uid).ToList();
        if (added.Count > 0)
        {
            _view.AddRange(added);
            output.Append(CultureInfo.InvariantCulture, $"* {_view.Count} EXISTS\r\n");
        }

        if (output.Length > 0)
        {
            await Connection.WriteAsync(output.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

}
