using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Diagnostics;

/// <summary>
/// Removes what must never be written down from text that came from elsewhere (an identity platform's error description,
/// an exception message): JSON Web Tokens, a known secret, and long opaque runs that look like secrets or tokens.
/// </summary>
internal static partial class SensitiveText
{
    public const string Redacted = "[redacted]";

    /// <summary>Returns <paramref name="text"/> with tokens, the given secret and secret-like runs replaced by <see cref="Redacted"/>.</summary>
    /// <param name="text">Text from outside the SDK.</param>
    /// <param name="secret">A secret that must not appear (the provider's client secret), if any.</param>
    public static string Scrub(string? text, string? secret = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        text = JwtPattern().Replace(text, Redacted);
        return OpaqueRunPattern().Replace(text, static match => LooksSecret(match.ValueSpan) ? Redacted : match.Value);
    }

    // Random material mixes upper case, lower case and digits; host names, scopes and GUIDs do not. A '~' marks an Entra
    // client secret whatever else it holds.
    private static bool LooksSecret(ReadOnlySpan<char> run)
    {
        if (run.Contains('~'))
        {
            return true;
        }

        bool upper = false, lower = false, digit = false;
        foreach (var c in run)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        return upper && lower && digit;
    }

    // Three base64url segments, the first a JSON header ("{" encodes to "ey").
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtPattern();

    // Entra client secrets are 40 characters of [A-Za-z0-9~._-]; tokens and assertions are longer.
    [GeneratedRegex(@"[A-Za-z0-9~._\-]{24,}", RegexOptions.CultureInvariant)]
    private static partial Regex OpaqueRunPattern();
}
