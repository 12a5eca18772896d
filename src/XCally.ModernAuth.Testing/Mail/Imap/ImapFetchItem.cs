using System.Globalization;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>One FETCH data item: a plain one (UID, FLAGS, ENVELOPE…) or a body section with an optional partial range.</summary>
internal sealed class ImapFetchItem
{
    private static readonly string[] Plain = ["UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE", "BODY"];

    private ImapFetchItem(string name, string? section, string label, bool setsSeen, long? partialStart, long? partialLength)
    {
        Name = name;
        Section = section;
        Label = label;
        SetsSeen = setsSeen;
        PartialStart = partialStart;
        PartialLength = partialLength;
    }

    public string Name { get; }

    /// <summary>The section between the brackets (empty for the whole message); <see langword="null"/> for a plain item.</summary>
    public string? Section { get; }

    /// <summary>The name the response gives the item, e.g. <c>BODY[HEADER]&lt;0&gt;</c>.</summary>
    public string Label { get; }

    /// <summary>Whether fetching it marks the message \Seen (BODY[…] without PEEK, RFC822, RFC822.TEXT).</summary>
    public bool SetsSeen { get; }

    public long? PartialStart { get; }

    public long? PartialLength { get; }

    public static ImapFetchItem? TryParse(string text)
    {
        var upper = text.ToUpperInvariant();
        if (Array.IndexOf(Plain, upper) >= 0)
        {
            return new ImapFetchItem(upper, null, upper, false, null, null);
        }

        switch (upper)
        {
            case "RFC822":
                return new ImapFetchItem("SECTION", string.Empty, "RFC822", true, null, null);
            case "RFC822.HEADER":
                return new ImapFetchItem("SECTION", "HEADER", "RFC822.HEADER", false, null, null);
            case "RFC822.TEXT":
                return new ImapFetchItem("SECTION", "TEXT", "RFC822.TEXT", true, null, null);
        }

        var peek = upper.StartsWith("BODY.PEEK[", StringComparison.Ordinal);
        if (!peek && !upper.StartsWith("BODY[", StringComparison.Ordinal))
        {
            return null;
        }

        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = text.LastIndexOf(']');
        if (close < open)
        {
            return null;
        }

        var section = text[(open + 1)..close];
        var partial = text[(close + 1)..];
        long? start = null;
        long? length = null;
        if (partial.Length > 0)
        {
            // <start.length>
            if (partial[0] != '<' || partial[^1] != '>')
            {
                return null;
            }

            var numbers = partial[1..^1].Split('.');
            if (numbers.Length != 2
                || !long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !long.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }

            start = from;
            length = count;
        }

        var label = "BODY[" + section + "]" + (start is { } s ? string.Create(CultureInfo.InvariantCulture, $"<{s}>") : string.Empty);
        return new ImapFetchItem("SECTION", section, label, !peek, start, length);
    }
}
