using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The SDK's health check: <see cref="IModernAuthDiagnostics.GetStatusAsync"/> as one result, its worst entry's health, the
/// unhealthy and degraded entries' summaries as the description and every entry's facts as data. No mail server is contacted and
/// no request reaches the identity platform while a valid token is cached.
/// </summary>
internal sealed class ModernAuthHealthCheck(IModernAuthDiagnostics diagnostics, ModernAuthStatusOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = await diagnostics.GetStatusAsync(options, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var entry in status.Entries)
        {
            var facts = new Dictionary<string, object>(entry.Data, StringComparer.Ordinal)
            {
                ["health"] = entry.Health.ToString(),
                ["summary"] = entry.Summary,
            };
            data[$"{(entry.Subject == ModernAuthStatusSubject.CloudProvider ? "provider" : "account")}:{entry.Name}"] = facts;
        }

        var problems = status.Entries.Where(entry => entry.Health != ModernAuthHealth.Healthy).Select(entry => $"{entry.Name}: {entry.Summary}").ToList();
        var description = problems.Count == 0
            ? $"{status.Entries.Count(e => e.Subject == ModernAuthStatusSubject.CloudProvider)} cloud providers and {status.Entries.Count(e => e.Subject == ModernAuthStatusSubject.EmailAccount)} email accounts are healthy."
            : string.Join(" | ", problems);
        return status.Health switch
        {
            ModernAuthHealth.Healthy => HealthCheckResult.Healthy(description, data),
            ModernAuthHealth.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, description, data: data),
        };
    }
}
