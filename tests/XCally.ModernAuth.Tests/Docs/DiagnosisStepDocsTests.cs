namespace XCally.ModernAuth.Tests.Docs;

/// <summary>Every step of a diagnosis links to a section of docs/troubleshooting.md that exists.</summary>
public sealed class DiagnosisStepDocsTests
{
    [Fact]
    public void Troubleshooting_EveryDiagnosisStep_HasItsAnchor()
    {
        var text = File.ReadAllText(FindDocument());

        var missing = DiagnosisStep.Names.Where(name => !text.Contains($"<a id=\"{DiagnosisStep.Anchor(name)}\"></a>", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "docs/troubleshooting.md lacks a section for the steps: " + string.Join(", ", missing));
    }

    private static string FindDocument()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "troubleshooting.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/troubleshooting.md was not found above the test's folder.");
    }
}
