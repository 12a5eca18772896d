namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>A syntax error in an IMAP command.</summary>
internal sealed class ImapSyntaxException(string message) : Exception(message);

/// <summary>
/// Turns the lines and literals of one IMAP command into tokens. A line ending in <c>{n}</c> or <c>{n+}</c> asks for a literal, which
/// the session reads and feeds back before the rest of the command. Nesting and token counts are bounded.
/// </summary>
internal sealed class ImapCommandParser
{
    private const int MaxDepth = 16;
    private const int MaxTokens = 10_000;

    private readonly Stack<ImapToken> _open = new();
    private int _tokens;

    public ImapCommandParser() => _open.Push(ImapToken.List());

    /// <summary>The command's top-level tokens, once complete.</summary>
    public List<ImapToken> Tokens => _open.Last().Children;

    /// <summary>Parses one line of the command.</summary>
    /// <param name="line">The line, without its line ending.</param>
    /// <returns>The literal the line announces at its end as (size, synchronizing), or <see langword="null"/> when the command is complete.</returns>
    /// <exception cref="ImapSyntaxException">The line is malformed.</exception>
    public (long Size, bool Synchronizing)? Feed(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            switch (c)
            {
                case ' ':
                    i++;
                    continue;
                case '(':
                    if (_open.Count > MaxDepth)
                    {
                        throw new ImapSyntaxException("Lists nest too deeply.");
                    }

                    var list = ImapToken.List();
                    Add(list);
                    _open.Push(list);
                    i++;
                    continue;
                case ')':
                    if (_open.Count == 1)
                    {
                        throw new ImapSyntaxException("Unbalanced ')'.");
                    }

                    _open.Pop();
                    i++;
                    continue;
                case '"':
                    i = ReadQuoted(line, i + 1);
                    continue;
                case '{':
                    return ReadLiteralMarker(line, i);
                default:
                    i = ReadAtom(line, i);
                    continue;
            }
        }

        if (_open.Count != 1)
        {
            throw new ImapSyntaxException("Unbalanced '('.");
        }

        return null;
    }

    /// <summary>Adds the literal the previous line announced.</summary>
    /// <param name="bytes">The literal's bytes.</param>
    public void FeedLiteral(byte[] bytes) => Add(ImapToken.Literal(bytes));

    private static (long, bool) ParseLiteralMarker(string line, int start)
    {
        var close = line.Length - 1;
        if (line[close] != '}')
        {
            throw new ImapSyntaxException("A literal must end the line.");
        }

        var synchronizing = line[close - 1] != '+';
        var digits = line.AsSpan(start + 1, close - start - 1 - (synchronizing ? 0 : 1));
        if (digits.Length is 0 or > 12 || !long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            throw new ImapSyntaxException("Malformed literal size.");
        }

        return (size, synchronizing);
    }

    private (long Size, bool Synchronizing)? ReadLiteralMarker(string line, int start) => ParseLiteralMarker(line, start);

    private int ReadQuoted(string line, int i)
    {
        var builder = new System.Text.StringBuilder();
        while (i < line.Length)
        {
            var c = line[i++];
            if (c == '"')
            {
                Add(ImapToken.Quoted(builder.ToString()));
                return i;
            }

            if (c == '\\')
            {
                if (i == line.Length)
                {
                    break;
                }

                c = line[i++];
            }

            builder.Append(c);
        }

        throw new ImapSyntaxException("Unterminated quoted string.");
    }

    private int ReadAtom(string line, int i)
    {
        var start = i;
        var depth = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && (c is ' ' or '(' or ')' or '"' or '{' || char.IsControl(c)))
            {
                break;
            }

            i++;
        }

        if (i == start)
        {
            throw new ImapSyntaxException("Unexpected character.");
        }

        Add(ImapToken.Atom(line[start..i]));
        return i;
    }

    private void Add(ImapToken token)
    {
        if (++_tokens > MaxTokens)
        {
            throw new ImapSyntaxException("Too many tokens.");
        }

        _open.Peek().Children.Add(token);
    }
}
