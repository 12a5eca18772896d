using System.Text.RegularExpressions;
using XCally.ModernAuth.Salesforce.Internal;

namespace XCally.ModernAuth.Salesforce.Tests.Docs;

/// <summary>Holds the Salesforce rows of docs/troubleshooting.md to the package's <see cref="SalesforceErrorTable"/>.</summary>
public sealed partial class SalesforceTroubleshootingTableTests
{
    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(ReadRows);

    [Fact]
    public void SalesforceErrorTable_EveryMapping_HasARowWithItsCategory()
    {
        var problems = new List<string>();
        foreach (var entry in SalesforceErrorTable.Entries)
        {
            var rows = Rows.Value.Where(r => string.Equals(r.Code, entry.Code, StringComparison.OrdinalIgnoreCase)
                && (entry.Description is null || (r.Description?.Contains(entry.Description, StringComparison.OrdinalIgnoreCase) ?? false))).ToList();
            if (rows.Count == 0)
            {
                problems.Add($"`{entry.Code}` `{entry.Description}` ({entry.Category}) has no Salesforce row.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Rows_EachCodeAndDescription_IsMappedByThePackageWithTheSameCategory()
    {
        Assert.NotEmpty(Rows.Value);
        var problems = Rows.Value
            .Select(row => (Row: row, Mapping: SalesforceErrorTable.Find(row.Code, row.Description)))
            .Where(x => x.Mapping is null || x.Mapping.Category.ToString() != x.Row.Category)
            .Select(x => $"line {x.Row.Line}: `{x.Row.Code}` `{x.Row.Description}` is {x.Mapping?.Category.ToString() ?? "not mapped"} in the package, not {x.Row.Category}.")
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static List<Row> ReadRows()
    {
        var path = FindDocument();
        var rows = new List<Row>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = SalesforceRow().Match(lines[i]);
            if (match.Success)
            {
                rows.Add(new Row(i + 1, match.Groups["code"].Value, match.Groups["description"].Success ? match.Groups["description"].Value : null, match.Groups["category"].Value));
            }
        }

        return rows;
    }

    private static string FindDocument()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "XCally.ModernAuth.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "troubleshooting.md");
            }
        }

        throw new InvalidOperationException($"No XCally.ModernAuth.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^\|\s*Salesforce `(?<code>[^`]+)`(?:\s+`(?<description>[^`]+)`)?\s*\|\s*`(?<category>[A-Za-z]+)`\s*\|", RegexOptions.CultureInvariant)]
    private static partial Regex SalesforceRow();

    private sealed record Row(int Line, string Code, string? Description, string Category);
}
