namespace XCally.ModernAuth.Samples.Web.Checks;

/// <summary>
/// The Check page's steps for one account. Today <see cref="ProtocolSignInCheck"/>: a token, then a connection and sign-in over each
/// enabled protocol. The SDK's step-by-step diagnosis replaces it behind this interface when it lands.
/// </summary>
public interface IAccountCheck
{
    Task<CheckReport> RunAsync(EmailAccount account, CancellationToken cancellationToken);
}

/// <summary>The outcome of one step.</summary>
public enum CheckOutcome
{
    Passed,
    Failed,
    NotRun,
}

/// <summary>One line of the checklist: what was tried, what happened, and for a failure the fix.</summary>
public sealed record CheckStep(string Title, CheckOutcome Outcome, string Detail, string? Fix = null, string? ErrorCode = null, string? CorrelationId = null);

/// <summary>The checklist of one run.</summary>
public sealed record CheckReport(string AccountAddress, DateTimeOffset RanOn, IReadOnlyList<CheckStep> Steps)
{
    public bool Passed => Steps.All(step => step.Outcome == CheckOutcome.Passed);

    /// <summary>The first failed step: its fix is the one to apply first.</summary>
    public CheckStep? FirstFailure => Steps.FirstOrDefault(step => step.Outcome == CheckOutcome.Failed);
}
