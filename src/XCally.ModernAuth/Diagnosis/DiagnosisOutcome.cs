namespace XCally.ModernAuth;

/// <summary>How one step of a diagnosis ended.</summary>
public enum DiagnosisOutcome
{
    /// <summary>The step found what the account needs.</summary>
    Passed = 0,

    /// <summary>The step passed, but found something that will fail later (a secret about to expire, a last refresh that failed).</summary>
    Warning,

    /// <summary>The step failed: the steps after it did not run (see <see cref="DiagnosisStep.Blocks"/>).</summary>
    Failed,
}
