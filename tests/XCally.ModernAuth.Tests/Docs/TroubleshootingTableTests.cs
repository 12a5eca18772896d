using System.Text;
using System.Text.RegularExpressions;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Tests.Docs;

/// <summary>
/// Holds docs/troubleshooting.md to the SDK's error mapping (<see cref="IdentityErrorTable"/> and <see cref="MailServerFailures"/>),
/// following the convention written in the comment at the top of that page.
/// </summary>
public sealed partial class TroubleshootingTableTests
{
    private static readonly Lazy<TroubleshootingDocument> Document = new(() => TroubleshootingDocument.Parse(FindDocument()));

    [Fact]
    public void Document_TroubleshootingTables_AreFound()
    {
        var doc = Document.Value;

        Assert.True(doc.Tables.Count(t => t.IsTroubleshooting) >= 3, "docs/troubleshooting.md should hold the identity, mail server and configuration tables.");
        Assert.All(doc.Rows, row => Assert.True(row.Cells.Count >= 4, $"line {row.Line}: a troubleshooting row has Symptom, Category, Cause and Fix cells."));
    }

    [Fact]
    public void IdentityErrorTable_EveryCode_HasARowWithItsCategory()
    {
        var problems = new List<string>();
        foreach (var entry in IdentityErrorTable.Entries)
        {
            var rows = Document.Value.Rows.Where(r => r.Kind == RowKind.Identity && string.Equals(r.Key, entry.Code, StringComparison.OrdinalIgnoreCase)).ToList();
            if (rows.Count == 0)
            {
                problems.Add($"`{entry.Code}` ({entry.Category}) has no row: add one whose Symptom cell starts with `{entry.Code}`.");
            }

            problems.AddRange(rows.Where(r => r.Category != entry.Category.ToString()).Select(r => $"line {r.Line}: `{entry.Code}` is {entry.Category} in the SDK, not {r.Category}."));
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void MailServerFailures_EveryResponse_HasARowWithItsCategoryAndCmdlets()
    {
        var problems = new List<string>();
        foreach (var failure in MailServerFailures.All)
        {
            var name = failure.ResponseFragment.Length == 0 ? "any other refusal (`*`)" : $"`{failure.ResponseFragment}`";
            var rows = Document.Value.Rows.Where(r => r.Kind == RowKind.MailServer && r.Protocol == failure.Protocol && Describes(r, failure)).ToList();
            if (rows.Count == 0)
            {
                problems.Add($"{failure.Protocol} {name} ({failure.Category}) has no row: add one whose Symptom cell is {Label(failure.Protocol)} and the server's response in backticks.");
                continue;
            }

            problems.AddRange(rows.Where(r => r.Category != failure.Category.ToString()).Select(r => $"line {r.Line}: {failure.Protocol} {name} is {failure.Category} in the SDK, not {r.Category}."));

            // The fix must not leave out a command the SDK's own advice tells an administrator to run.
            var text = string.Join(' ', rows.Select(r => r.Text));
            problems.AddRange(Cmdlet().Matches(failure.AppOnlyAdvice + " " + failure.DelegatedAdvice)
                .Select(m => m.Value)
                .Distinct(StringComparer.Ordinal)
                .Where(cmdlet => !text.Contains(cmdlet, StringComparison.OrdinalIgnoreCase))
                .Select(cmdlet => $"line {rows[0].Line}: {failure.Protocol} {name}: the SDK's advice runs {cmdlet}, the row does not name it."));
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void Rows_EveryCodeAndResponse_IsMappedByTheSdkWithTheSameCategory()
    {
        var problems = new List<string>();
        foreach (var row in Document.Value.Rows)
        {
            if (row.Kind == RowKind.Identity)
            {
                var mapping = IdentityErrorTable.Find(row.Key);
                if (mapping is null)
                {
                    problems.Add($"line {row.Line}: `{row.Key}` is not in IdentityErrorTable; map it there or move it out of the table.");
                }
                else if (mapping.Category.ToString() != row.Category)
                {
                    problems.Add($"line {row.Line}: `{row.Key}` is {mapping.Category} in the SDK, not {row.Category}.");
                }
            }
            else if (row.Kind == RowKind.MailServer)
            {
                var failure = row.Key == "*" ? MailServerFailures.Fallback(row.Protocol) : MailServerFailures.Find(row.Protocol, row.Key);
                if (failure is null)
                {
                    problems.Add($"line {row.Line}: {row.Protocol} `{row.Key}` matches nothing in MailServerFailures; map it there or move it out of the table.");
                }
                else if (failure.Category.ToString() != row.Category)
                {
                    problems.Add($"line {row.Line}: {row.Protocol} `{row.Key}` is {failure.Category} in the SDK, not {row.Category}.");
                }
            }

            // Any code in the symptom names the row's failure, so it must map to the row's category too.
            foreach (var code in Aadsts().Matches(row.Cells[0]).Select(m => m.Value))
            {
                if (IdentityErrorTable.Find(code) is { } mapping && mapping.Category.ToString() != row.Category)
                {
                    problems.Add($"line {row.Line}: the symptom names {code}, which is {mapping.Category} in the SDK, not {row.Category}.");
                }
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void TableRows_AadstsAndEnhancedStatusCodes_AreAllMappedByTheSdk()
    {
        var smtpCodes = MailServerFailures.All
            .Where(f => f.Protocol == MailProtocol.Smtp && EnhancedStatusCode().IsMatch(f.ResponseFragment))
            .Select(f => f.ResponseFragment)
            .ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var row in Document.Value.Tables.SelectMany(t => t.Rows))
        {
            var text = string.Join(" | ", row.Cells);
            problems.AddRange(Aadsts().Matches(text).Select(m => m.Value).Where(code => IdentityErrorTable.Find(code) is null)
                .Select(code => $"line {row.Line}: {code} is not mapped by the SDK (IdentityErrorTable); mention it in the prose, not in a table."));
            problems.AddRange(EnhancedStatusCode().Matches(text).Select(m => m.Value).Where(code => !smtpCodes.Contains(code))
                .Select(code => $"line {row.Line}: SMTP status {code} is not mapped by the SDK (MailServerFailures); mention it in the prose, not in a table."));
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void TokenDiagnosis_EveryKindOfFinding_HasARow()
    {
        var problems = XCally.ModernAuth.Diagnostics.TokenDiagnosis.FindingOpenings
            .Where(opening => !Document.Value.Rows.Any(r => r.Kind == RowKind.Sdk && r.Cells[0].Contains(opening, StringComparison.Ordinal)))
            .Select(opening => $"the token claims finding \"{opening} …\" has no row: add one whose Symptom quotes it.")
            .ToList();

        AssertNoProblems(problems);
    }

    [Fact]
    public void Rows_Category_IsOneCategoryNameAndEveryCategoryHasARow()
    {
        var doc = Document.Value;
        var problems = doc.Rows
            .Where(r => !Enum.TryParse<ModernAuthErrorCategory>(r.Category, ignoreCase: false, out var category) || !Enum.IsDefined(category) || r.Category != category.ToString())
            .Select(r => $"line {r.Line}: the Category cell must be one ModernAuthErrorCategory name in backticks, not '{r.CategoryCell}'.")
            .ToList();

        problems.AddRange(Enum.GetValues<ModernAuthErrorCategory>()
            .Where(category => !doc.Rows.Any(r => r.Category == category.ToString()))
            .Select(category => $"{category} has no row."));

        AssertNoProblems(problems);
    }

    private static bool Describes(DocumentRow row, MailServerFailure failure) =>
        failure.ResponseFragment.Length == 0
            ? row.Key == "*"
            : ReferenceEquals(MailServerFailures.Find(row.Protocol, row.Key), failure);

    private static string Label(MailProtocol protocol) => protocol.ToString().ToUpperInvariant();

    private static void AssertNoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, "docs/troubleshooting.md is out of step with the SDK:" + Environment.NewLine + string.Join(Environment.NewLine, problems));

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

    [GeneratedRegex(@"AADSTS\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Aadsts();

    // The same shape the authenticator reads ErrorCode with (5.7.3, 5.7.139).
    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedStatusCode();

    [GeneratedRegex(@"\b(?:New|Add|Set|Get|Remove)-[A-Z][A-Za-z]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex Cmdlet();

    private enum RowKind
    {
        /// <summary>The symptom starts with an identity-platform code in backticks.</summary>
        Identity,

        /// <summary>The symptom starts with IMAP, POP3 or SMTP and the server's response in backticks.</summary>
        MailServer,

        /// <summary>The symptom is plain text: a failure the SDK detects itself.</summary>
        Sdk,
    }

    private sealed record DocumentTable(IReadOnlyList<string> Header, IReadOnlyList<DocumentRow> Rows)
    {
        public bool IsTroubleshooting =>
            string.Equals(Header[0], "Symptom", StringComparison.Ordinal) && Header.Contains("Category", StringComparer.Ordinal);
    }

    private sealed partial record DocumentRow(int Line, IReadOnlyList<string> Cells, int CategoryIndex)
    {
        public string CategoryCell => CategoryIndex < Cells.Count ? Cells[CategoryIndex] : string.Empty;

        /// <summary>The category name, without its backticks (or the raw cell when it is not one name in backticks).</summary>
        public string Category => CategoryName().Match(CategoryCell) is { Success: true } m ? m.Groups[1].Value : CategoryCell;

        public string Text => string.Join(" | ", Cells);

        public RowKind Kind => MailSymptom().IsMatch(Cells[0]) ? RowKind.MailServer : CodeSymptom().IsMatch(Cells[0]) ? RowKind.Identity : RowKind.Sdk;

        public MailProtocol Protocol => MailSymptom().Match(Cells[0]) is { Success: true } m
            ? Enum.Parse<MailProtocol>(m.Groups[1].Value, ignoreCase: true)
            : default;

        /// <summary>The code or server response the row is about; empty for the SDK's own failures.</summary>
        public string Key => Kind switch
        {
            RowKind.MailServer => MailSymptom().Match(Cells[0]).Groups[2].Value,
            RowKind.Identity => CodeSymptom().Match(Cells[0]).Groups[1].Value,
            _ => string.Empty,
        };

        [GeneratedRegex(@"^(IMAP|POP3|SMTP)\s+`([^`]+)`", RegexOptions.CultureInvariant)]
        private static partial Regex MailSymptom();

        [GeneratedRegex(@"^`([^`]+)`", RegexOptions.CultureInvariant)]
        private static partial Regex CodeSymptom();

        [GeneratedRegex(@"^`([A-Za-z]+)`$", RegexOptions.CultureInvariant)]
        private static partial Regex CategoryName();
    }

    /// <summary>The markdown tables of the page: a header line, a |---| line, then rows, each line starting with a pipe.</summary>
    private sealed record TroubleshootingDocument(IReadOnlyList<DocumentTable> Tables)
    {
        public IEnumerable<DocumentRow> Rows => Tables.Where(t => t.IsTroubleshooting).SelectMany(t => t.Rows);

        public static TroubleshootingDocument Parse(string path)
        {
            var lines = File.ReadAllLines(path);
            var tables = new List<DocumentTable>();
            for (var i = 0; i + 1 < lines.Length; i++)
            {
                if (!IsTableLine(lines[i]) || !IsSeparator(lines[i + 1]))
                {
                    continue;
                }

                var header = SplitCells(lines[i]);
                var categoryIndex = header.ToList().IndexOf("Category");
                var rows = new List<DocumentRow>();
                for (i += 2; i < lines.Length && IsTableLine(lines[i]); i++)
                {
                    rows.Add(new DocumentRow(i + 1, SplitCells(lines[i]), categoryIndex < 0 ? int.MaxValue : categoryIndex));
                }

                tables.Add(new DocumentTable(header, rows));
            }

            return new TroubleshootingDocument(tables);
        }

        private static bool IsTableLine(string line) => line.TrimStart().StartsWith('|');

        private static bool IsSeparator(string line) =>
            IsTableLine(line) && line.Trim().Trim('|').Split('|').All(cell => cell.Trim().Trim(':').Length > 0 && cell.Trim().Trim(':').All(c => c == '-'));

        // Splits on unescaped pipes; "\|" is a pipe inside a cell.
        private static string[] SplitCells(string line)
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            var text = line.Trim();
            for (var i = 1; i < text.Length; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '|')
                {
                    cell.Append('|');
                    i++;
                }
                else if (text[i] == '|')
                {
                    cells.Add(cell.ToString().Trim());
                    cell.Clear();
                }
                else
                {
                    cell.Append(text[i]);
                }
            }

            if (cell.ToString().Trim().Length > 0)
            {
                cells.Add(cell.ToString().Trim());
            }

            return [.. cells];
        }
    }
}
