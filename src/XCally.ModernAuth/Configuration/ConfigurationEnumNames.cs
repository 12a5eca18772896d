namespace XCally.ModernAuth.Internal;

/// <summary>
/// The names configuration may use for each enum. Matching ignores case, spaces, hyphens and underscores, so
/// <c>Microsoft Azure</c> and <c>microsoft-azure</c> both mean <see cref="CloudService.MicrosoftAzure"/>; numbers are refused
/// because a number that is not a member would silently become an undefined value.
/// </summary>
internal sealed class ConfigurationEnumNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<string, TEnum> _names = new(StringComparer.OrdinalIgnoreCase);

    public ConfigurationEnumNames(string noun, params (string Name, TEnum Value)[] aliases)
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            _names[Normalize(value.ToString())] = value;
        }

        foreach (var (name, value) in aliases)
        {
            _names[Normalize(name)] = value;
        }

        var members = Enum.GetNames<TEnum>();
        Expected = members.Length == 1
            ? members[0]
            : string.Join(", ", members[..^1]) + " or " + members[^1];
        Noun = noun;
    }

    /// <summary>What a value is, as in "'Mars' is not a cloud".</summary>
    public string Noun { get; }

    /// <summary>The accepted names, as in "use Global, UsGovernment or China".</summary>
    public string Expected { get; }

    public bool TryParse(string text, out TEnum value) => _names.TryGetValue(Normalize(text), out value);

    private static string Normalize(string text) =>
        text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal)
            .Replace("_", string.Empty, StringComparison.Ordinal)
            .Trim();
}
