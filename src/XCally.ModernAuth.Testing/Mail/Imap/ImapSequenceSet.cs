using System.Globalization;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>An IMAP sequence set (<c>1,3:5,7:*</c>) of message numbers or UIDs; <c>*</c> is the largest one in use.</summary>
internal sealed class ImapSequenceSet
{
    private const int MaxRanges = 1000;
    private readonly List<(uint Low, uint High)> _ranges;

    private ImapSequenceSet(List<(uint Low, uint High)> ranges) => _ranges = ranges;

    /// <summary>Parses a set whose <c>*</c> stands for <paramref name="largest"/>.</summary>
    /// <param name="text">The set.</param>
    /// <param name="largest">The largest number in use (0 when none).</param>
    /// <returns>The set, or <see langword="null"/> when malformed.</returns>
    public static ImapSequenceSet? TryParse(string text, uint largest)
    {
        var ranges = new List<(uint, uint)>();
        foreach (var part in text.Split(','))
        {
            if (ranges.Count == MaxRanges)
            {
                return null;
            }

            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (!TryNumber(colon < 0 ? part : part[..colon], largest, out var low))
            {
                return null;
            }

            var high = low;
            if (colon >= 0 && !TryNumber(part[(colon + 1)..], largest, out high))
            {
                return null;
            }

            ranges.Add(low <= high ? (low, high) : (high, low));
        }

        return new ImapSequenceSet(ranges);
    }

    public bool Contains(uint value) => _ranges.Exists(r => value >= r.Low && value <= r.High);

    private static bool TryNumber(string text, uint largest, out uint value)
    {
        if (text == "*")
        {
            value = largest;
            return true;
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
