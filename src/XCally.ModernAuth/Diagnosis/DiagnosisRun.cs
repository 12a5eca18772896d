namespace XCally.ModernAuth.Internal;

/// <summary>What one check found; turned into a <see cref="DiagnosisStep"/> with its name, title, time and what it blocks.</summary>
internal readonly record struct StepResult(DiagnosisOutcome Outcome, string? Evidence, string? Fix = null, ModernAuthErrorCategory? Category = null)
{
    public static StepResult Passed(string? evidence) => new(DiagnosisOutcome.Passed, evidence);

    public static StepResult Warning(string? evidence, string fix, ModernAuthErrorCategory? category = null) => new(DiagnosisOutcome.Warning, evidence, fix, category);

    public static StepResult Failed(string? evidence, string? fix, ModernAuthErrorCategory? category) => new(DiagnosisOutcome.Failed, evidence, fix, category);

    /// <summary>A failure the SDK already explained: the server's or identity platform's words, and the advice.</summary>
    public static StepResult From(ModernAuthException error) =>
        Failed(error.ServerResponse is { } response ? $"{error.Summary} (the server said: \"{response}\")" : error.Summary, error.Advice, error.Category);
}

/// <summary>A step to run: its name and title are known before it runs, so that a failure earlier can name it among what it blocks.</summary>
internal sealed record PlannedStep(string Name, string Title, Func<CancellationToken, Task<StepResult>> Check);

/// <summary>Runs planned steps in order, timing each, and stops at the first failure, which lists the steps left.</summary>
internal sealed class DiagnosisRun(TimeProvider timeProvider)
{
    private readonly List<DiagnosisStep> _steps = [];

    public IReadOnlyList<DiagnosisStep> Steps => _steps;

    public bool Failed { get; private set; }

    /// <summary>Runs the steps until one fails; <paramref name="later"/> names what would have followed them (for a failure's blocks).</summary>
    /// <returns>Whether every step passed (warnings included).</returns>
    public async Task<bool> RunAsync(IReadOnlyList<PlannedStep> plan, IReadOnlyList<string> later, CancellationToken cancellationToken)
    {
        for (var i = 0; i < plan.Count && !Failed; i++)
        {
            var step = plan[i];
            var started = timeProvider.GetTimestamp();
            StepResult result;
            try
            {
                result = await step.Check(cancellationToken).ConfigureAwait(false);
            }
            catch (ModernAuthException error)
            {
                result = StepResult.From(error);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = StepResult.Failed($"{error.GetType().Name}: {error.Message}", "This failure is not one the SDK knows; see the host's log, and report it if it persists.", ModernAuthErrorCategory.Unknown);
            }

            var failed = result.Outcome == DiagnosisOutcome.Failed;
            IReadOnlyList<string> blocks = failed ? [.. plan.Skip(i + 1).Select(next => next.Title), .. later] : [];
            _steps.Add(new DiagnosisStep(step.Name, step.Title, result.Outcome, timeProvider.GetElapsedTime(started), result.Evidence, result.Fix, result.Category, blocks));
            Failed = failed;
        }

        return !Failed;
    }
}
