using System.Diagnostics;

namespace XCally.ModernAuth.Samples.Console;

/// <summary>Runs the walk-through's numbered steps and prints each with its time.</summary>
internal sealed class StepRunner(int total)
{
    private int _current;

    public async Task<T> RunAsync<T>(string title, Func<Task<T>> step)
    {
        _current++;
        System.Console.WriteLine();
        System.Console.WriteLine($"[{_current}/{total}] {title}");
        var watch = Stopwatch.StartNew();
        var result = await step();
        System.Console.WriteLine($"      done in {watch.Elapsed.TotalMilliseconds:F0} ms");
        return result;
    }

    public Task RunAsync(string title, Func<Task> step) =>
        RunAsync(title, async () =>
        {
            await step();
            return true;
        });

    public static void Detail(string text) => System.Console.WriteLine($"      {text}");
}
