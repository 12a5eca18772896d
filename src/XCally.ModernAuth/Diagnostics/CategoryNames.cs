namespace XCally.ModernAuth.Diagnostics;

/// <summary>Cached names of <see cref="ModernAuthErrorCategory"/> values, so tags and log lines do not box or format enums.</summary>
internal static class CategoryNames
{
    private static readonly string[] Names = Enum.GetNames<ModernAuthErrorCategory>();

    public static string Of(ModernAuthErrorCategory category)
    {
        var index = (int)category;
        return (uint)index < (uint)Names.Length ? Names[index] : category.ToString();
    }
}
