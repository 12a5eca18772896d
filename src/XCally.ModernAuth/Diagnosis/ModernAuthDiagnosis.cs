using System.Globalization;
using System.Text;

namespace XCally.ModernAuth;

/// <summary>The outcome of <see cref="IModernAuthDiagnostics.DiagnoseAsync"/> for one email account: its steps, in order.</summary>
public sealed class ModernAuthDiagnosis
{
    internal ModernAuthDiagnosis(string accountAddress, string? cloudProviderName, DiagnosisScope scope, DateTimeOffset startedAt, TimeSpan duration, IReadOnlyList<DiagnosisStep> steps)
    {
        AccountAddress = accountAddress;
        CloudProviderName = cloudProviderName;
        Scope = scope;
        StartedAt = startedAt;
        Duration = duration;
        Steps = steps;
    }

    /// <summary>The account diagnosed.</summary>
    public string AccountAddress { get; }

    /// <summary>Its cloud provider, when the account was found.</summary>
    public string? CloudProviderName { get; }

    /// <summary>How far the diagnosis went.</summary>
    public DiagnosisScope Scope { get; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The steps that ran, in order; the last one is the failure, if any.</summary>
    public IReadOnlyList<DiagnosisStep> Steps { get; }

    /// <summary>Whether no step failed (warnings allowed).</summary>
    public bool Succeeded => FirstFailure is null;

    /// <summary>The step that failed, or <see langword="null"/>.</summary>
    public DiagnosisStep? FirstFailure => Steps.FirstOrDefault(step => step.Outcome == DiagnosisOutcome.Failed);

    /// <summary>The checklist as text: one line per step, then the evidence, the fix and what a failure blocks.</summary>
    /// <returns>The checklist.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Diagnosis of {AccountAddress}{(CloudProviderName is null ? string.Empty : $" (cloud provider {CloudProviderName})")}, {StartedAt.UtcDateTime:u}:").AppendLine();
        foreach (var step in Steps)
        {
            var mark = step.Outcome switch
            {
                DiagnosisOutcome.Passed => "[ok]  ",
                DiagnosisOutcome.Warning => "[warn]",
                _ => "[FAIL]",
            };
            text.Append(CultureInfo.InvariantCulture, $"{mark} {step.Title} ({step.Duration.TotalMilliseconds:0} ms)").AppendLine();
            if (step.Evidence is { Length: > 0 } evidence)
            {
                text.Append("         ").AppendLine(evidence);
            }

            if (step.Fix is { Length: > 0 } fix)
            {
                text.Append("         Fix: ").AppendLine(fix);
            }

            if (step.Blocks.Count > 0)
            {
                text.Append("         Not checked until this is fixed: ").AppendJoin("; ", step.Blocks).AppendLine();
            }
        }

        text.Append(Succeeded ? "Every step passed." : $"Stopped at: {FirstFailure!.Title}.");
        return text.ToString();
    }
}
