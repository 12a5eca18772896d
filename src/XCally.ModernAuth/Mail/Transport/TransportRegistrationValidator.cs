using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Refuses at start accounts whose <see cref="EmailAccountOptions.Transport"/> needs Graph when no Graph transport is registered.</summary>
internal sealed class TransportRegistrationValidator(IEnumerable<IMailTransportFactory> factories) : IValidateOptions<ModernAuthOptions>
{
    public const string GraphAdvice =
        "Add the XCally.ModernAuth.Graph package and call AddGraphTransport() on the builder of AddXCallyModernAuth, or set the account's Transport to Imap.";

    public ValidateOptionsResult Validate(string? name, ModernAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (factories.Any(factory => factory.Transport == MailTransport.Graph))
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new ValidationProblems();
        for (var i = 0; i < options.EmailAccounts.Count; i++)
        {
            if (options.EmailAccounts[i] is { Transport: MailTransport.Graph or MailTransport.Auto } account)
            {
                problems.Add(
                    ValidationProblems.Path(ModernAuthOptionsValidator.AccountPath(options, i, account), "Transport"),
                    $"{account.Transport} needs Microsoft Graph, and no Graph transport is registered. {GraphAdvice}");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Items);
    }
}
