using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Refuses, at start and on every reload, the <c>CloudProviders</c> entries of a service whose package is not registered (naming
/// the package and the call to add), a name used by both an Office 365 provider and another service's provider, and an email
/// account associated with a provider that cannot open mailboxes. What a claimed entry holds is its package's to validate.
/// </summary>
internal sealed class CloudServicesValidator(IEnumerable<CloudServiceRegistration> registrations) : IValidateOptions<ModernAuthOptions>
{
    private readonly CloudServiceRegistration[] _registrations = [.. registrations];

    public static string EntryPath(ModernAuthOptions options, CloudServiceEntry entry) =>
        entry.ConfigurationPath ?? ValidationProblems.Path(ModernAuthOptionsValidator.RootPath(options), "CloudProviders", entry.Name);

    public ValidateOptionsResult Validate(string? name, ModernAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServiceProviders.Count == 0)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new ValidationProblems();
        foreach (var entry in options.ServiceProviders.Values)
        {
            var path = EntryPath(options, entry);
            if (options.CloudProviders.ContainsKey(entry.Name))
            {
                problems.Add(path, $"the name '{entry.Name}' is used by a Microsoft Azure provider and by a {entry.Service} provider; give each provider its own name");
            }

            if (!_registrations.Any(registration => registration.Claims(entry.Service)))
            {
                problems.Add(ValidationProblems.Path(path, "Service"), Unclaimed(entry.Service));
            }
        }

        for (var i = 0; i < options.EmailAccounts.Count; i++)
        {
            var account = options.EmailAccounts[i];
            if (account?.CloudProvider is { } provider && options.ServiceProviders.TryGetValue(provider, out var entry) && !options.CloudProviders.ContainsKey(provider))
            {
                problems.Add(
                    ValidationProblems.Path(ModernAuthOptionsValidator.AccountPath(options, i, account), "CloudProvider"),
                    $"'{provider}' is a {entry.Service} provider, which cannot open mailboxes; associate the account with a Microsoft Azure (Office 365) provider");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Items);
    }

    private string Unclaimed(string service)
    {
        if (KnownCloudServices.Find(service) is { } known)
        {
            return $"{known.Service} providers need the {known.Package} package; add it to the host and call {known.Registration} on the builder that AddXCallyModernAuth returns";
        }

        var registered = _registrations.Select(registration => registration.ServiceName)
            .Concat(KnownCloudServices.All
                .Where(known => !_registrations.Any(registration => registration.Claims(known.Service)))
                .Select(known => $"{known.Service} (package {known.Package})"));
        return $"'{service}' is not a cloud service; use MicrosoftAzure, or {string.Join(", ", registered)}";
    }
}
