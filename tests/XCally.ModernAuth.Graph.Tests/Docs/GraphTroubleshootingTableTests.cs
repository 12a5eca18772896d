using System.Text.RegularExpressions;
using XCally.ModernAuth.Graph.Internal;

namespace XCally.ModernAuth.Graph.Tests.Docs;

/// <summary>Holds the Graph rows of docs/troubleshooting.md to the package's <see cref="GraphErrorTable"/>.</summary>
public sealed partial class GraphTroubleshootingTableTests
{
    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(ReadRows);

    [Fact]
    public void GraphErrorTable_EveryMapping_HasARowWithItsCategory()
    {
        var problems = GraphErrorTable.Rows
            .Where(entry => !Rows.Value.Any(row => row.Status == (int)entry.Status && string.Equals(row.Code, entry.Code, StringComparison.OrdinalIgnoreCase)
                && string.Equals(row.Fragment ?? string.Empty, entry.MessageFragment, StringComparison.OrdinalIgnoreCase) && row.Category == entry.Category.ToString()))
            .Select(entry => $"Graph {(int)entry.Status} `{entry.Code}` `{entry.MessageFragment}` ({entry.Category}) has no row.")
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Rows_EachStatusAndCode_IsMappedByThePackageWithTheSameCategory()
    {
        Assert.NotEmpty(Rows.Value);
        var problems = Rows.Value
            .Select(row => (Row: row, Mapping: GraphErrorTable.Find(row.Status, row.Code, row.Fragment)))
            .Where(x => x.Mapping is null || x.Mapping.Category.ToString() != x.Row.Category)
            .Select(x => $"line {x.Row.Line}: Graph {x.Row.Status} `{x.Row.Code}` is {x.Mapping?.Category.ToString() ?? "not mapped"} in the package, not {x.Row.Category}.")
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static List<Row> ReadRows()
    {
        var rows = new List<Row>();
        var lines = File.ReadAllLines(FindDocument());
        for (var i = 0; i < lines.Length; i++)
        {
            var match = GraphRow().Match(lines[i]);
            if (match.Success)
            {
                rows.Add(new Row(i + 1, int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["code"].Success ? match.Groups["code"].Value : string.Empty, match.Groups["fragment"].Success ? match.Groups["fragment"].Value : null, match.Groups["category"].Value));
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

    // | Graph 403 `ErrorAccessDenied` `[RAOP]` | `MailboxAuthenticationFailed` | …
    [GeneratedRegex(@"^\|\s*Graph (?<status>\d{3})(?: `(?<code>[^`]+)`)?(?: `(?<fragment>[^`]+)`)?\s*\|\s*`(?<category>[A-Za-z]+)`\s*\|", RegexOptions.CultureInvariant)]
    private static partial Regex GraphRow();

    private sealed record Row(int Line, int Status, string Code, string? Fragment, string Category);
}
