namespace XCally.ModernAuth.Samples.Web.Checks;

/// <summary>
/// The Check page's steps for one account: <see cref="DiagnosisAccountCheck"/>, the SDK's step-by-step diagnosis.
/// </summary>
public interface IAccountCheck
{
    Task<CheckReport> RunAsync(EmailAccount account, CancellationToken cancellationToken);
}

/// <summary>The outcome of one step.</summary>
public enum CheckOutcome
{
    Passed,

    /// <summary>Passed, but something will fail later (a secret about to expire).</summary>
    Warning,
    Failed,
    NotRun,
}

/// <summary>One line of the checklist: what was tried, what happened, and for a failure the fix.</summary>
public sealed record CheckStep(string Title, CheckOutcome Outcome, string Detail, string? Fix = null, string? ErrorCode = null, string? CorrelationId = null);

/// <summary>The checklist of one run.</summary>
public sealed record CheckReport(string AccountAddress, DateTimeOffset RanOn, IReadOnlyList<CheckStep> Steps)
{
    public bool Passed => Steps.All(step => step.Outcome is CheckOutcome.Passed or CheckOutcome.Warning);

    /// <summary>The first failed step: its fix is the one to apply first.</summary>
    public CheckStep? FirstFailure => Steps.FirstOrDefault(step => step.Outcome == CheckOutcome.Failed);
}
