using XCally.ModernAuth.Samples.Web.Status;

namespace XCally.ModernAuth.Samples.Web.Checks;

/// <summary>
/// The Check page's steps from the SDK's step-by-step diagnosis (<see cref="IModernAuthDiagnostics.DiagnoseAsync"/>): the
/// configuration, the credential, the tenant, a token and its claims, then for each enabled protocol the connection and TLS, the
/// SASL mechanism, the sign-in and the mailbox (SMTP: <c>MAIL FROM</c>, then <c>RSET</c>; nothing is sent). Each protocol's sign-in
/// is recorded on the <see cref="AccountActivity"/> board for the Status page; the steps a failure kept from running are listed
/// as not run.
/// </summary>
public sealed class DiagnosisAccountCheck(IModernAuthDiagnostics diagnostics, AccountActivity activity) : IAccountCheck
{
    public async Task<CheckReport> RunAsync(EmailAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var diagnosis = await diagnostics.DiagnoseAsync(account.Address, DiagnosisScope.Full, cancellationToken);
        var steps = new List<CheckStep>();
        foreach (var step in diagnosis.Steps)
        {
            var outcome = step.Outcome switch
            {
                DiagnosisOutcome.Failed => CheckOutcome.Failed,
                DiagnosisOutcome.Warning => CheckOutcome.Warning,
                _ => CheckOutcome.Passed,
            };
            steps.Add(new CheckStep(step.Title, outcome, step.Evidence ?? string.Empty, step.Fix));
            if (LoginProtocol(step.Name) is { } protocol)
            {
                activity.RecordSignIn(account.Address, protocol, succeeded: outcome != CheckOutcome.Failed, step.Evidence ?? step.Title);
            }
        }

        foreach (var blocked in diagnosis.FirstFailure?.Blocks ?? [])
        {
            steps.Add(new CheckStep(blocked, CheckOutcome.NotRun, "Not tried: an earlier step failed."));
        }

        return new CheckReport(account.Address, diagnosis.StartedAt, steps);
    }

    private static MailProtocol? LoginProtocol(string stepName) => stepName switch
    {
        "imap.login" => MailProtocol.Imap,
        "pop3.login" => MailProtocol.Pop3,
        "smtp.login" => MailProtocol.Smtp,
        _ => null,
    };
}
