using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Checks <see cref="TokenProviderOptions"/> at start: every bound positive, each problem with its setting and fix.</summary>
internal sealed class TokenProviderOptionsValidator : IValidateOptions<TokenProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.StoreRecheckInterval <= TimeSpan.Zero)
        {
            problems.Add($"TokenProviderOptions.StoreRecheckInterval is {options.StoreRecheckInterval}; set a positive interval (the default is 1 minute).");
        }

        if (options.IdleRefreshLimit < 1)
        {
            problems.Add($"TokenProviderOptions.IdleRefreshLimit is {options.IdleRefreshLimit}; set 1 or more (the default is 3).");
        }

        if (options.IdentityRequestTimeout <= TimeSpan.Zero && options.IdentityRequestTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"TokenProviderOptions.IdentityRequestTimeout is {options.IdentityRequestTimeout}; set a positive time (the default is 30 seconds).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
