using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Checks <see cref="TokenCacheOptions"/> at start: positive bounds and, for the distributed cache, a Data Protection key ring
/// every instance can share (see <see cref="TokenCacheKeyRing"/>); each problem with its setting and fix.
/// </summary>
internal sealed class TokenCacheOptionsValidator(IServiceProvider services) : IValidateOptions<TokenCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Positive(nameof(TokenCacheOptions.DistributedCacheTimeout), options.DistributedCacheTimeout, "500 milliseconds");
        Positive(nameof(TokenCacheOptions.DistributedCacheBreakDuration), options.DistributedCacheBreakDuration, "15 seconds");
        Positive(nameof(TokenCacheOptions.WriteRetryInterval), options.WriteRetryInterval, "5 seconds");
        Positive(nameof(TokenCacheOptions.RefreshLockTimeout), options.RefreshLockTimeout, "45 seconds");
        if (options.DistributedCacheBreakDuration > TimeSpan.Zero && options.DistributedCacheBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            problems.Add($"TokenCacheOptions.DistributedCacheBreakDuration is {options.DistributedCacheBreakDuration}; set at least 500 milliseconds (the default is 15 seconds).");
        }

        if (options.Storage == TokenCacheStorage.Distributed && TokenCacheKeyRing.Problem(services) is { } keyRing)
        {
            problems.Add($"{keyRing} {TokenCacheKeyRing.Fix}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void Positive(string setting, TimeSpan value, string byDefault)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"TokenCacheOptions.{setting} is {value}; set a positive time (the default is {byDefault}).");
            }
        }
    }
}
