using Microsoft.Extensions.Options;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// Validates, at start and on every reload together with the rest of <see cref="ModernAuthOptions"/>, each <c>Service: Salesforce</c>
/// entry: values that could not be converted and every check of <see cref="SalesforceProviderOptionsValidator"/>, each with its path.
/// </summary>
internal sealed class SalesforceProvidersValidator(SalesforceServiceRegistration registration, TimeProvider timeProvider) : IValidateOptions<ModernAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, ModernAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ValidationProblems();
        foreach (var entry in registration.Service.EntriesOf(options))
        {
            var report = new ModernAuthOptions();
            var provider = SalesforceProviderOptionsBinder.Bind(entry, report);
            problems.AddRange(report.BindingErrors);
            var path = provider.ConfigurationPath ?? CloudServicesValidator.EntryPath(options, entry);
            SalesforceProviderOptionsValidator.Validate(path, provider, timeProvider.GetUtcNow(), problems)?.Dispose();
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Items);
    }
}
