using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Converts configuration values one by one, recording each value it cannot convert (with its full path) instead of
/// stopping at the first, so that validation can report every problem at once. An empty value counts as unset.
/// </summary>
internal sealed class ConfigurationValueReader(ModernAuthOptions options)
{
    public void Unknown(IConfigurationSection section) => options.UnknownKeys.Add(section.Path);

    public void Error(IConfigurationSection section, string message) => options.BindingErrors.Add($"{section.Path}: {message}");

    public static string? String(IConfigurationSection section) =>
        string.IsNullOrWhiteSpace(section.Value) ? null : section.Value.Trim();

    public bool Bool(IConfigurationSection section, out bool value)
    {
        value = false;
        if (String(section) is not { } text)
        {
            return false;
        }

        if (bool.TryParse(text, out value))
        {
            return true;
        }

        Error(section, $"'{text}' is not a boolean; use true or false");
        return false;
    }

    public bool Int(IConfigurationSection section, out int value)
    {
        value = 0;
        if (String(section) is not { } text)
        {
            return false;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        Error(section, $"'{text}' is not a whole number");
        return false;
    }

    public bool DateTimeOffset(IConfigurationSection section, out DateTimeOffset value)
    {
        value = default;
        if (String(section) is not { } text)
        {
            return false;
        }

        if (System.DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return true;
        }

        Error(section, $"'{text}' is not a date; use ISO 8601, e.g. 2026-12-31 or 2026-12-31T23:59:59Z");
        return false;
    }

    public bool Enum<TEnum>(IConfigurationSection section, ConfigurationEnumNames<TEnum> names, out TEnum value)
        where TEnum : struct, System.Enum
    {
        value = default;
        if (String(section) is not { } text)
        {
            return false;
        }

        if (names.TryParse(text, out value))
        {
            return true;
        }

        Error(section, $"'{text}' is not a {names.Noun}; use {names.Expected}");
        return false;
    }

    /// <summary>A list from an array section, or from one value separated by spaces or commas (handy in environment variables).</summary>
    public static IEnumerable<string> List(IConfigurationSection section)
    {
        if (String(section) is { } text)
        {
            return text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return section.GetChildren().Select(String).OfType<string>();
    }
}
