using System.Globalization;
using System.Text;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>Small text helpers shared by the protocol sessions.</summary>
internal static class MailText
{
    /// <summary>A client-supplied word made safe to echo in a reply: printable ASCII only, bounded.</summary>
    /// <param name="text">The text.</param>
    /// <param name="max">The most characters kept.</param>
    /// <returns>The safe text.</returns>
    public static string Printable(string text, int max = 32)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text)
        {
            if (builder.Length == max)
            {
                break;
            }

            builder.Append(c is >= '!' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    /// <summary>Splits a command line into its verb (upper case) and the rest.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The verb and the argument text, trimmed.</returns>
    public static (string Verb, string Argument) SplitVerb(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? (line.Trim().ToUpperInvariant(), string.Empty)
            : (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
    }

    /// <summary>An RFC 5322 date, as in SMTP greetings.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text.</returns>
    public static string Rfc5322Date(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, d MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
