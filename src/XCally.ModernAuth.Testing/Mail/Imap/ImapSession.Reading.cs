using XCally.ModernAuth.Testing.Mail.Internal;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>Reading one complete command: its lines and literals, each bounded.</summary>
internal sealed partial class ImapSession
{
    private enum ImapReadStatus
    {
        Command,
        Bad,
        Fatal,
        Closed,
    }

    private async Task<ImapCommandRead> ReadCommandAsync(CancellationToken cancellationToken)
    {
        var parser = new ImapCommandParser();
        var tag = "*";
        var first = true;
        long literalBytes = 0;
        while (true)
        {
            var (status, line) = await Connection.ReadLineAsync(Context.Options.MaxLineLength, cancellationToken).ConfigureAwait(false);
            if (status == MailLineStatus.Closed)
            {
                return new ImapCommandRead(ImapReadStatus.Closed, tag, [], string.Empty);
            }

            if (first)
            {
                tag = TagOf(line);
                first = false;
            }

            if (status == MailLineStatus.TooLong)
            {
                return new ImapCommandRead(ImapReadStatus.Bad, tag, [], "Command Error. Line too long.");
            }

            (long Size, bool Synchronizing)? literal;
            try
            {
                literal = parser.Feed(line);
            }
            catch (ImapSyntaxException)
            {
                return new ImapCommandRead(ImapReadStatus.Bad, tag, [], "Command Argument Error. 11");
            }

            if (literal is not { } announced)
            {
                var tokens = parser.Tokens;
                return tokens.Count == 0 || tag == "*"
                    ? new ImapCommandRead(ImapReadStatus.Bad, tag, [], "Command Error. 12")
                    : new ImapCommandRead(ImapReadStatus.Command, tag, tokens, string.Empty);
            }

            if (announced.Size > Context.Options.MaxMessageSize - literalBytes)
            {
                // A synchronizing literal's bytes never come without our go-ahead; a non-synchronizing one's are already on the way.
                return announced.Synchronizing
                    ? new ImapCommandRead(ImapReadStatus.Bad, tag, [], "Command Argument Error. Literal too large.")
                    : new ImapCommandRead(ImapReadStatus.Fatal, tag, [], "Literal too large.");
            }

            if (announced.Synchronizing)
            {
                await Connection.WriteAsync("+ Ready for additional command text.\r\n", cancellationToken).ConfigureAwait(false);
            }

            var bytes = await Connection.ReadExactAsync((int)announced.Size, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return new ImapCommandRead(ImapReadStatus.Closed, tag, [], string.Empty);
            }

            literalBytes += announced.Size;
            parser.FeedLiteral(bytes);
        }
    }

    /// <summary>The command's tag if it is a valid one (echoed in the reply), else <c>*</c>.</summary>
    private static string TagOf(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var tag = space < 0 ? line : line[..space];
        return tag.Length is > 0 and <= 64 && tag.All(c => c is > ' ' and <= '~' and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']' or '+'))
            ? tag
            : "*";
    }

    private readonly record struct ImapCommandRead(ImapReadStatus Status, string Tag, List<ImapToken> Tokens, string Error);
}
