using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Refuses a check interval or warning window that would never warn or would spin.</summary>
internal sealed class CredentialExpiryOptionsValidator : IValidateOptions<CredentialExpiryOptions>
{
    public ValidateOptionsResult Validate(string? name, CredentialExpiryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = [];
        if (options.WarningWindow < TimeSpan.Zero)
        {
            problems.Add($"XCallyModernAuth:CredentialExpiry:WarningWindow: {options.WarningWindow} is negative; use a duration such as 30.00:00:00 (30 days)");
        }

        if (options.CheckInterval < TimeSpan.FromMinutes(1) || options.CheckInterval > TimeSpan.FromDays(30))
        {
            problems.Add($"XCallyModernAuth:CredentialExpiry:CheckInterval: {options.CheckInterval} is outside one minute to 30 days; use 1.00:00:00 (daily)");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
