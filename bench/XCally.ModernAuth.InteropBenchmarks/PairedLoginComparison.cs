using System.Diagnostics;
using System.Globalization;

namespace XCally.ModernAuth.InteropBenchmarks;

/// <summary>
/// A drift-resistant cross-check of <see cref="ImapLoginBenchmarks"/> for a shared, busy machine: PLAIN and XOAUTH2 sessions
/// alternate (ABBA order) so both see the same background load, and the ratio of their medians is reported.
/// </summary>
public static class PairedLoginComparison
{
    /// <summary>Runs <paramref name="pairs"/> pairs of sessions after a warm-up and prints a Markdown table.</summary>
    /// <param name="pairs">How many PLAIN + XOAUTH2 pairs to time.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(int pairs)
    {
        var sessions = new ImapLoginBenchmarks();
        sessions.Setup();
        for (var i = 0; i < 10; i++)
        {
            await sessions.LoginAsync(sessions.NewPlain());
            await sessions.LoginAsync(sessions.NewXOAuth2());
        }

        var plain = new List<double>(pairs);
        var bearer = new List<double>(pairs);
        for (var i = 0; i < pairs; i++)
        {
            var plainFirst = i % 2 == 0;
            await TimeAsync(plainFirst ? plain : bearer, plainFirst);
            await TimeAsync(plainFirst ? bearer : plain, !plainFirst);
        }

        var ratio = Median(bearer) / Median(plain);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            | Session (IMAPS connect + AUTH + LOGOUT), {pairs} alternating pairs | Median | Mean | P90 |
            |---|---:|---:|---:|
            | PLAIN (passwd-file) | {Median(plain):F1} ms | {plain.Average():F1} ms | {Percentile(plain, 0.9):F1} ms |
            | XOAUTH2 (oauth2 passdb, local RS256 validation) | {Median(bearer):F1} ms | {bearer.Average():F1} ms | {Percentile(bearer, 0.9):F1} ms |

            Ratio of medians XOAUTH2/PLAIN: {ratio:F3}
            """));

        async Task TimeAsync(List<double> into, bool usePlain)
        {
            var started = Stopwatch.GetTimestamp();
            await sessions.LoginAsync(usePlain ? sessions.NewPlain() : sessions.NewXOAuth2());
            into.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
