namespace XCally.ModernAuth.Internal;

/// <summary>Refuses enum values set in code that are not members (configuration values are checked by the binder).</summary>
internal static class EnumRules
{
    public static void Defined<TEnum>(TEnum value, ConfigurationEnumNames<TEnum> names, string path, ValidationProblems problems)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            problems.Add(path, $"'{value}' is not a {names.Noun}; use {names.Expected}");
        }
    }
}
