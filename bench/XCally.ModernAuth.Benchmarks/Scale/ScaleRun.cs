using System.Globalization;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>
/// <c>--scale</c>: the token provider with thousands of accounts and the IMAP IDLE sessions of a thousand mailboxes, on the
/// emulator. <c>--quick</c> makes it a smoke run (a tenth of the size) that fails only when a request count is off.
/// </summary>
internal static class ScaleRun
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var settings = args.Contains("--quick") ? ScaleSettings.Quick : ScaleSettings.Full;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scale run ({(settings == ScaleSettings.Quick ? "quick" : "full")}) on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage.Now()}"));
        output.WriteLine();

        var failures = new List<string>();
        if (!args.Contains("--idle-only"))
        {
            failures.AddRange(await new TokenScale(settings, output).RunAsync());
            output.WriteLine();
        }

        if (!args.Contains("--tokens-only"))
        {
            failures.AddRange(await new IdleScale(settings, output).RunAsync());
            output.WriteLine();
        }

        if (failures.Count == 0)
        {
            output.WriteLine("Every request count held.");
            return 0;
        }

        output.WriteLine("Counts that were off:");
        foreach (var failure in failures)
        {
            output.WriteLine($"- {failure}");
        }

        return 1;
    }
}
