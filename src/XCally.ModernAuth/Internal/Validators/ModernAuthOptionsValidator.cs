using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Validates the whole <see cref="ModernAuthOptions"/> at start and on every reload, reporting every problem at once, each with
/// its configuration path: values the binder could not convert, each provider, each account, and how they refer to each other.
/// </summary>
/// <remarks>
/// Each problem is also logged as its own line (an <c>OptionsValidationException</c> joins them into one long message), and
/// binding warnings (a missing or empty section) are logged as warnings.
/// </remarks>
internal sealed partial class ModernAuthOptionsValidator(TimeProvider timeProvider, ILogger<ModernAuthOptionsValidator>? logger = null) : IValidateOptions<ModernAuthOptions>
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public ValidateOptionsResult Validate(string? name, ModernAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var warning in options.BindingWarnings)
        {
            LogBindingWarning(_logger, warning);
        }

        foreach (var warning in Warnings(options))
        {
            LogBindingWarning(_logger, warning);
        }

        var problems = Check(options, timeProvider.GetUtcNow());
        foreach (var problem in problems.Items)
        {
            LogProblem(_logger, problem);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Items);
    }

    public static string RootPath(ModernAuthOptions options) => options.ConfigurationPath ?? ModernAuthOptions.SectionName;

    public static string ProviderPath(ModernAuthOptions options, string name, CloudProviderOptions provider) =>
        provider.ConfigurationPath ?? ValidationProblems.Path(RootPath(options), "CloudProviders", name);

    public static string AccountPath(ModernAuthOptions options, int index, EmailAccountOptions account) =>
        account.ConfigurationPath
        ?? ValidationProblems.Path(RootPath(options), "EmailAccounts", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ValidationProblems Check(ModernAuthOptions options, DateTimeOffset now)
    {
        var problems = new ValidationProblems();
        problems.AddRange(options.BindingErrors);
        foreach (var (name, provider) in options.CloudProviders)
        {
            var path = ProviderPath(options, name, provider);
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(path, "a cloud provider has an empty name; give it the name its email accounts refer to in CloudProvider (the key under CloudProviders, or the name passed to AddCloudProvider)");
            }

            if (provider is null)
            {
                problems.Add(path, "missing; remove the entry or give it settings");
                continue;
            }

            // Loading the certificate is the only way to know the file, password and key are right; it is not kept.
            CertificateOptionsValidator.Release(CloudProviderOptionsValidator.Validate(path, provider, now, problems), provider.Certificate);
        }

        var addresses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var accounts = new List<(string Path, EmailAccountOptions Account)>();
        for (var i = 0; i < options.EmailAccounts.Count; i++)
        {
            var account = options.EmailAccounts[i];
            var path = AccountPath(options, i, account);
            if (account is null)
            {
                problems.Add(path, "missing; remove the entry or give it settings");
                continue;
            }

            EmailAccountOptionsValidator.Validate(path, account, problems);
            CheckProviderReference(path, account, options, problems);
            accounts.Add((path, account));
            if (account.CloudProvider is not null && options.CloudProviders.TryGetValue(account.CloudProvider, out var provider) && provider is not null)
            {
                SharedMailboxRules.ValidateFlow(path, account, account.CloudProvider, provider.Flow, problems);
            }

            if (!string.IsNullOrWhiteSpace(account.Address) && !addresses.TryAdd(account.Address.Trim(), path))
            {
                problems.Add(ValidationProblems.Path(path, "Address"), $"'{account.Address}' is already used by {addresses[account.Address.Trim()]}; each address may appear once");
            }
        }

        SharedMailboxRules.ValidateAcrossAccounts(accounts, problems);
        return problems;
    }

    // Settings that will fail only for one protocol, which an account may never use: logged, not refused.
    private static IEnumerable<string> Warnings(ModernAuthOptions options)
    {
        for (var i = 0; i < options.EmailAccounts.Count; i++)
        {
            var account = options.EmailAccounts[i];
            if (account?.CloudProvider is null || !options.CloudProviders.TryGetValue(account.CloudProvider, out var provider) || provider is null)
            {
                continue;
            }

            foreach (var warning in SharedMailboxRules.MissingProtocolScopes(AccountPath(options, i, account), account, ProviderPath(options, account.CloudProvider, provider), provider))
            {
                yield return warning;
            }
        }
    }

    private static void CheckProviderReference(string path, EmailAccountOptions account, ModernAuthOptions options, ValidationProblems problems)
    {
        var providerPath = ValidationProblems.Path(path, "CloudProvider");
        if (string.IsNullOrWhiteSpace(account.CloudProvider))
        {
            problems.Add(providerPath, $"missing; set the name of one of the cloud providers ({Names(options)})");
        }
        else if (!options.CloudProviders.ContainsKey(account.CloudProvider))
        {
            problems.Add(providerPath, $"'{account.CloudProvider}' is not a configured cloud provider; use one of: {Names(options)}");
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Invalid XCally.ModernAuth configuration: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogBindingWarning(ILogger logger, string warning);

    private static string Names(ModernAuthOptions options) =>
        options.CloudProviders.Count == 0 ? "none is configured" : string.Join(", ", options.CloudProviders.Keys.Order(StringComparer.OrdinalIgnoreCase));
}
