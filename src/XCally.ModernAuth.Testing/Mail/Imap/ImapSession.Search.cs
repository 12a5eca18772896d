using System.Globalization;
using System.Text;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>SEARCH: the RFC 3501 keys MailKit's SearchQuery produces, matched case-insensitively as Exchange does.</summary>
internal sealed partial class ImapSession
{
    private delegate bool SearchKey(int sequence, EmulatorStoredMessage message);

    private async Task<string> SearchAsync(bool uid, List<ImapToken> args, CancellationToken cancellationToken)
    {
        var index = 0;
        if (args.Count >= 2 && args[0].Kind == ImapTokenKind.Atom && args[0].Text.Equals("CHARSET", StringComparison.OrdinalIgnoreCase))
        {
            if (!args[1].Text.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !args[1].Text.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
            {
                return "NO [BADCHARSET (UTF-8 US-ASCII)] The specified charset is not supported.";
            }

            index = 2;
        }

        var keys = new List<SearchKey>();
        try
        {
            while (index < args.Count)
            {
                keys.Add(ParseSearchKey(args, ref index, depth: 0));
            }
        }
        catch (ImapSyntaxException)
        {
            return BadArguments;
        }

        if (keys.Count == 0)
        {
            return BadArguments;
        }

        var matches = new StringBuilder("* SEARCH");
        foreach (var (sequence, message) in Resolve("1:*", uid: false) ?? [])
        {
            if (keys.TrueForAll(k => k(sequence, message)))
            {
                matches.Append(' ').Append(uid ? message.Uid : (uint)sequence);
            }
        }

        await Connection.WriteAsync(matches.Append("\r\n").ToString(), cancellationToken).ConfigureAwait(false);
        return "OK SEARCH completed.";
    }

    private SearchKey ParseSearchKey(List<ImapToken> args, ref int index, int depth)
    {
        if (index >= args.Count || depth > 16)
        {
            throw new ImapSyntaxException("Missing search key.");
        }

        var token = args[index++];
        if (token.Kind == ImapTokenKind.List)
        {
            var inner = new List<SearchKey>();
            var i = 0;
            while (i < token.Children.Count)
            {
                inner.Add(ParseSearchKey(token.Children, ref i, depth + 1));
            }

            return (s, m) => inner.TrueForAll(k => k(s, m));
        }

        var key = token.Text.ToUpperInvariant();
        switch (key)
        {
            case "ALL":
            case "OLD":
                return (_, _) => true;
            case "NEW":
            case "RECENT":
                return (_, _) => false;
            case "SEEN":
            case "ANSWERED":
            case "FLAGGED":
            case "DELETED":
            case "DRAFT":
                var flag = "\\" + key[0] + key[1..].ToLowerInvariant();
                return (_, m) => m.HasFlag(flag);
            case "UNSEEN":
            case "UNANSWERED":
            case "UNFLAGGED":
            case "UNDELETED":
            case "UNDRAFT":
                var unflag = "\\" + key[2] + key[3..].ToLowerInvariant();
                return (_, m) => !m.HasFlag(unflag);
            case "KEYWORD":
                var keyword = Next(args, ref index);
                return (_, m) => m.HasFlag(keyword);
            case "UNKEYWORD":
                var unkeyword = Next(args, ref index);
                return (_, m) => !m.HasFlag(unkeyword);
            case "FROM":
            case "TO":
            case "CC":
            case "BCC":
            case "SUBJECT":
                var text = Next(args, ref index);
                return (_, m) => Contains(HeaderText(m.Message, key), text);
            case "HEADER":
                var field = Next(args, ref index);
                var value = Next(args, ref index);
                return (_, m) => m.Message.Headers.Any(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase) && Contains(h.Value, value));
            case "BODY":
                var body = Next(args, ref index);
                return (_, m) => Contains(m.Message.TextBody, body) || Contains(m.Message.HtmlBody, body);
            case "TEXT":
                var anywhere = Next(args, ref index);
                return (_, m) => Contains(Encoding.UTF8.GetString(m.Raw), anywhere) || Contains(m.Message.TextBody, anywhere);
            case "BEFORE":
            case "ON":
            case "SINCE":
            case "SENTBEFORE":
            case "SENTON":
            case "SENTSINCE":
                var date = ParseDate(Next(args, ref index));
                var sent = key.StartsWith("SENT", StringComparison.Ordinal);
                var comparison = sent ? key[4..] : key;
                return (_, m) =>
                {
                    var day = DateOnly.FromDateTime((sent ? m.Message.Date : m.InternalDate).UtcDateTime);
                    return comparison switch
                    {
                        "BEFORE" => day < date,
                        "ON" => day == date,
                        _ => day >= date,
                    };
                };
            case "LARGER":
                var larger = ParseNumber(Next(args, ref index));
                return (_, m) => m.Raw.Length > larger;
            case "SMALLER":
                var smaller = ParseNumber(Next(args, ref index));
                return (_, m) => m.Raw.Length < smaller;
            case "UID":
                var uids = ImapSequenceSet.TryParse(Next(args, ref index), _view.Count == 0 ? 0 : _view[^1]) ?? throw new ImapSyntaxException("Bad UID set.");
                return (_, m) => uids.Contains(m.Uid);
            case "NOT":
                var negated = ParseSearchKey(args, ref index, depth + 1);
                return (s, m) => !negated(s, m);
            case "OR":
                var left = ParseSearchKey(args, ref index, depth + 1);
                var right = ParseSearchKey(args, ref index, depth + 1);
                return (s, m) => left(s, m) || right(s, m);
        }

        if (token.Kind == ImapTokenKind.Atom && ImapSequenceSet.TryParse(token.Text, (uint)_view.Count) is { } sequences)
        {
            return (s, _) => sequences.Contains((uint)s);
        }

        throw new ImapSyntaxException("Unknown search key.");
    }

    private static string Next(List<ImapToken> args, ref int index) =>
        index < args.Count && args[index].IsAtomOrString ? args[index++].Utf8Text : throw new ImapSyntaxException("Missing search argument.");

    private static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text, "d-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ImapSyntaxException("Bad date.");

    private static long ParseNumber(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw new ImapSyntaxException("Bad number.");

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

    private static string HeaderText(MimeMessage message, string key) => key switch
    {
        "FROM" => message.From.ToString(),
        "TO" => message.To.ToString(),
        "CC" => message.Cc.ToString(),
        "BCC" => message.Bcc.ToString(),
        _ => message.Subject ?? string.Empty,
    };
}
