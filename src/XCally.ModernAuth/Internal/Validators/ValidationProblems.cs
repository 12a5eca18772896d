namespace XCally.ModernAuth.Internal;

/// <summary>Collects every problem found in a set of options, each prefixed with the configuration path it concerns.</summary>
internal sealed class ValidationProblems
{
    private readonly List<string> _problems = [];

    public int Count => _problems.Count;

    public IReadOnlyList<string> Items => _problems;

    /// <summary>Joins path segments with the configuration delimiter, skipping empty ones (options bound at the root).</summary>
    public static string Path(params string[] segments) =>
        string.Join(':', segments.Where(segment => segment.Length > 0));

    public void Add(string path, string message) => _problems.Add(path.Length == 0 ? message : $"{path}: {message}");

    public void AddRange(IEnumerable<string> problems) => _problems.AddRange(problems);

    public override string ToString() => string.Join("; ", _problems);
}
