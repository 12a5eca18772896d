using System.Globalization;
using System.Text;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>The commands on the selected folder's messages.</summary>
internal sealed partial class ImapSession
{
    private const string BadArguments = "BAD Command Argument Error. 11";
    private static readonly string[] SystemFlags = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"];

    private List<(int Sequence, EmulatorStoredMessage Message)>? Resolve(string setText, bool uid)
    {
        var largest = uid ? (_view.Count == 0 ? 0 : _view[^1]) : (uint)_view.Count;
        var set = ImapSequenceSet.TryParse(setText, largest);
        if (set is null)
        {
            return null;
        }

        var stored = _folder!.Snapshot().ToDictionary(m => m.Uid);
        var result = new List<(int, EmulatorStoredMessage)>();
        for (var i = 0; i < _view.Count; i++)
        {
            if ((uid ? set.Contains(_view[i]) : set.Contains((uint)(i + 1))) && stored.TryGetValue(_view[i], out var message))
            {
                result.Add((i + 1, message));
            }
        }

        return result;
    }

    private async Task<string> FetchAsync(bool uid, List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count != 2 || args[0].Kind != ImapTokenKind.Atom || Resolve(args[0].Text, uid) is not { } messages)
        {
            return BadArguments;
        }

        var items = args[1].Kind == ImapTokenKind.List ? args[1].Children.Select(t => t.Text).ToList() : ExpandMacro(args[1].Text);
        var parsed = new List<ImapFetchItem>();
        foreach (var text in items)
        {
            if (ImapFetchItem.TryParse(text) is not { } item)
            {
                return BadArguments;
            }

            parsed.Add(item);
        }

        if (uid && !parsed.Exists(i => i.Name == "UID"))
        {
            parsed.Insert(0, ImapFetchItem.TryParse("UID")!);
        }

        foreach (var (sequence, message) in messages)
        {
            var output = new ImapResponseBuilder().Append(string.Create(CultureInfo.InvariantCulture, $"* {sequence} FETCH ("));
            var marksSeen = !_readOnly && parsed.Exists(i => i.SetsSeen) && !message.HasFlag("\\Seen");
            if (marksSeen)
            {
                message.ChangeFlags('+', ["\\Seen"]);
            }

            var first = true;
            foreach (var item in parsed)
            {
                output.Append(first ? string.Empty : " ");
                first = false;
                AppendFetchItem(output, item, message);
            }

            if (marksSeen && !parsed.Exists(i => i.Name == "FLAGS"))
            {
                output.Append(" ");
                AppendFlags(output, message);
            }

            await Connection.WriteAsync(output.Append(")\r\n").ToMemory(), cancellationToken).ConfigureAwait(false);
        }

        return "OK FETCH completed.";
    }

    private static List<string> ExpandMacro(string text) => text.ToUpperInvariant() switch
    {
        "ALL" => ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
        "FAST" => ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
        "FULL" => ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"],
        _ => [text],
    };

    private static void AppendFetchItem(ImapResponseBuilder output, ImapFetchItem item, EmulatorStoredMessage message)
    {
        switch (item.Name)
        {
            case "UID":
                output.Append("UID ").Append(message.Uid);
                break;
            case "FLAGS":
                AppendFlags(output, message);
                break;
            case "INTERNALDATE":
                output.Append("INTERNALDATE \"").Append(message.InternalDate.ToUniversalTime().ToString("dd-MMM-yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\"");
                break;
            case "RFC822.SIZE":
                output.Append("RFC822.SIZE ").Append((uint)message.Raw.Length);
                break;
            case "ENVELOPE":
                output.Append("ENVELOPE ");
                ImapMessageFormatter.AppendEnvelope(output, message.Message);
                break;
            case "BODYSTRUCTURE":
            case "BODY":
                output.Append(item.Name).Append(" ");
                ImapMessageFormatter.AppendBodyStructure(output, message.Message.Body ?? new TextPart("plain"));
                break;
            default:
                var bytes = SectionBytes(message, item.Section!);
                if (item.PartialStart is { } start)
                {
                    var from = (int)Math.Min(start, bytes.Length);
                    var count = (int)Math.Min(item.PartialLength ?? long.MaxValue, bytes.Length - from);
                    bytes = bytes.AsSpan(from, count).ToArray();
                }

                output.Append(item.Label).Append(" ").AppendLiteral(bytes);
                break;
        }
    }

    private static void AppendFlags(ImapResponseBuilder output, EmulatorStoredMessage message) =>
        output.Append("FLAGS (").Append(string.Join(' ', message.GetFlags())).Append(")");

    /// <summary>The bytes of a BODY[section]: the message or a part, its header (or some of its fields), its text, or a part's MIME header.</summary>
    private static byte[] SectionBytes(EmulatorStoredMessage message, string section)
    {
        var path = new List<int>();
        var rest = section;
        while (rest.Length > 0 && char.IsAsciiDigit(rest[0]))
        {
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var number = dot < 0 ? rest : rest[..dot];
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return [];
            }

            path.Add(value);
            rest = dot < 0 ? string.Empty : rest[(dot + 1)..];
        }

        var raw = message.Raw;
        if (path.Count > 0)
        {
            var part = ImapMessageFormatter.FindPart(message.Message, path);
            if (part is null)
            {
                return [];
            }

            if (rest.Length == 0)
            {
                return ImapMessageFormatter.ContentBytes(part);
            }

            if (rest.Equals("MIME", StringComparison.OrdinalIgnoreCase))
            {
                return ImapMessageFormatter.HeaderBytes(part);
            }

            if (part is not MessagePart { Message: { } inner })
            {
                return [];
            }

            using var stream = new MemoryStream();
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            inner.WriteTo(options, stream);
            raw = stream.ToArray();
        }

        var headerLength = ImapMessageFormatter.HeaderLength(raw);
        var upper = rest.ToUpperInvariant();
        if (upper.Length == 0)
        {
            return raw;
        }

        if (upper == "HEADER")
        {
            return raw[..headerLength];
        }

        if (upper == "TEXT")
        {
            return raw[headerLength..];
        }

        if (upper.StartsWith("HEADER.FIELDS", StringComparison.Ordinal))
        {
            var exclude = upper.StartsWith("HEADER.FIELDS.NOT", StringComparison.Ordinal);
            var open = rest.IndexOf('(', StringComparison.Ordinal);
            var close = rest.LastIndexOf(')');
            var names = open < 0 || close < open
                ? []
                : rest[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('"')).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return ImapMessageFormatter.HeaderFields(raw, names, exclude);
        }

        return [];
    }

    private async Task<string> StoreAsync(bool uid, List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count < 3 || args[0].Kind != ImapTokenKind.Atom || args[1].Kind != ImapTokenKind.Atom || Resolve(args[0].Text, uid) is not { } messages)
        {
            return BadArguments;
        }

        var item = args[1].Text.ToUpperInvariant();
        var silent = item.EndsWith(".SILENT", StringComparison.Ordinal);
        var baseItem = silent ? item[..^7] : item;
        var mode = baseItem switch
        {
            "FLAGS" => '=',
            "+FLAGS" => '+',
            "-FLAGS" => '-',
            _ => '?',
        };
        if (mode == '?')
        {
            return BadArguments;
        }

        var flagTokens = args.Count == 3 && args[2].Kind == ImapTokenKind.List ? args[2].Children : args.GetRange(2, args.Count - 2);
        var flags = new List<string>();
        foreach (var token in flagTokens)
        {
            if (token.Kind != ImapTokenKind.Atom || token.Text.Length > 64)
            {
                return BadArguments;
            }

            var system = Array.Find(SystemFlags, f => f.Equals(token.Text, StringComparison.OrdinalIgnoreCase));
            if (system is null && token.Text.StartsWith('\\'))
            {
                continue;
            }

            flags.Add(system ?? token.Text);
        }

        if (_readOnly)
        {
            return "NO Cannot STORE in a folder opened read-only.";
        }

        foreach (var (sequence, message) in messages)
        {
            message.ChangeFlags(mode, flags);
            if (!silent)
            {
                var output = new ImapResponseBuilder().Append(string.Create(CultureInfo.InvariantCulture, $"* {sequence} FETCH ("));
                AppendFlags(output, message);
                if (uid)
                {
                    output.Append(" UID ").Append(message.Uid);
                }

                await Connection.WriteAsync(output.Append(")\r\n").ToMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        return "OK STORE completed.";
    }

    private async Task<string> ExpungeAsync(List<ImapToken>? uidArgs, CancellationToken cancellationToken)
    {
        if (_readOnly)
        {
            return "NO Cannot EXPUNGE in a folder opened read-only.";
        }

        ImapSequenceSet? only = null;
        if (uidArgs is not null)
        {
            if (uidArgs.Count != 1 || uidArgs[0].Kind != ImapTokenKind.Atom
                || ImapSequenceSet.TryParse(uidArgs[0].Text, _view.Count == 0 ? 0 : _view[^1]) is not { } set)
            {
                return BadArguments;
            }

            only = set;
        }

        _folder!.Remove([.. _folder.Snapshot().Where(m => m.HasFlag("\\Deleted") && (only is null || only.Contains(m.Uid))).Select(m => m.Uid)]);
        await SynchronizeAsync(reportExpunges: true, cancellationToken).ConfigureAwait(false);
        return "OK EXPUNGE completed.";
    }

    private async Task<string> CopyAsync(bool uid, bool move, List<ImapToken> args, CancellationToken cancellationToken)
    {
        if (args.Count != 2 || args[0].Kind != ImapTokenKind.Atom || !args[1].IsAtomOrString || Resolve(args[0].Text, uid) is not { } messages)
        {
            return BadArguments;
        }

        var target = _mailbox!.FindFolder(args[1].Utf8Text);
        if (target is null)
        {
            return "NO [TRYCREATE] Folder not found.";
        }

        if (move && _readOnly)
        {
            return "NO Cannot MOVE from a folder opened read-only.";
        }

        var sources = new List<uint>();
        var copies = new List<uint>();
        foreach (var (_, message) in messages)
        {
            var flags = message.GetFlags().Where(f => !move || !f.Equals("\\Deleted", StringComparison.Ordinal));
            copies.Add(_mailbox.DeliverRaw(message.Raw, target, message.InternalDate, flags).Uid);
            sources.Add(message.Uid);
        }

        var code = sources.Count == 0
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"[COPYUID {target.UidValidity} {string.Join(',', sources)} {string.Join(',', copies)}] ");
        if (!move)
        {
            return $"OK {code}COPY completed.";
        }

        if (code.Length > 0)
        {
            await ReplyAsync($"* OK {code.TrimEnd()}", cancellationToken).ConfigureAwait(false);
        }

        _folder!.Remove(sources);
        await SynchronizeAsync(reportExpunges: true, cancellationToken).ConfigureAwait(false);
        return "OK MOVE completed.";
    }

    private string Append(List<ImapToken> args)
    {
        if (args.Count is < 2 or > 4 || !args[0].IsAtomOrString || args[^1].Kind != ImapTokenKind.String)
        {
            return BadArguments;
        }

        var folder = _mailbox!.FindFolder(args[0].Utf8Text);
        if (folder is null)
        {
            return "NO [TRYCREATE] Folder not found.";
        }

        var flags = new List<string>();
        var date = Context.TimeProvider.GetUtcNow();
        foreach (var option in args.Skip(1).Take(args.Count - 2))
        {
            if (option.Kind == ImapTokenKind.List)
            {
                flags.AddRange(option.Children.Select(f => Array.Find(SystemFlags, s => s.Equals(f.Text, StringComparison.OrdinalIgnoreCase)) ?? f.Text).Where(f => !f.StartsWith('\\') || SystemFlags.Contains(f)));
            }
            else if (TryParseDateTime(option.Text) is { } parsed)
            {
                date = parsed;
            }
            else
            {
                return BadArguments;
            }
        }

        var content = args[^1].Bytes ?? Encoding.UTF8.GetBytes(args[^1].Text);
        var stored = _mailbox.DeliverRaw(content, folder, date, flags);
        return string.Create(CultureInfo.InvariantCulture, $"OK [APPENDUID {folder.UidValidity} {stored.Uid}] APPEND completed.");
    }

    /// <summary>Parses an IMAP date-time such as <c>17-Jul-1996 02:44:25 -0700</c>.</summary>
    private static DateTimeOffset? TryParseDateTime(string text)
    {
        var space = text.LastIndexOf(' ');
        if (space < 0 || text.Length - space != 6
            || !DateTime.TryParseExact(text[..space].Trim(), "d-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !int.TryParse(text.AsSpan(space + 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(space + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            return null;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        try
        {
            return new DateTimeOffset(local, text[space + 1] == '-' ? -offset : offset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
