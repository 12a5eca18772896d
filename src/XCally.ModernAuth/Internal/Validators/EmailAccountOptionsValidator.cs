using System.Net.Mail;

namespace XCally.ModernAuth.Internal;

/// <summary>The checks of one email account on its own, shared by start-up validation and <see cref="EmailAccount.Create"/>.</summary>
internal static class EmailAccountOptionsValidator
{
    public static void Validate(string path, EmailAccountOptions options, ValidationProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Address))
        {
            problems.Add(ValidationProblems.Path(path, "Address"), "missing; set the mailbox's email address");
        }
        else if (!IsAddress(options.Address))
        {
            problems.Add(ValidationProblems.Path(path, "Address"), $"'{options.Address}' is not an email address such as user@contoso.com");
        }

        if (options.UserName is not null && string.IsNullOrWhiteSpace(options.UserName))
        {
            problems.Add(ValidationProblems.Path(path, "UserName"), "empty; remove it to log in with the address");
        }

        MailEndpointOptionsValidator.Validate(ValidationProblems.Path(path, "Imap"), options.Imap, problems);
        MailEndpointOptionsValidator.Validate(ValidationProblems.Path(path, "Pop3"), options.Pop3, problems);
        MailEndpointOptionsValidator.Validate(ValidationProblems.Path(path, "Smtp"), options.Smtp, problems);
        EnumRules.Defined(options.Transport, ConfigurationEnums.Transport, ValidationProblems.Path(path, "Transport"), problems);
        if (options.Transport == MailTransport.Auto && (options.Imap is { Enabled: false } || options.Smtp is { Enabled: false }))
        {
            problems.Add(ValidationProblems.Path(path, "Transport"), "Auto reads over IMAP and sends over SMTP (Graph only when SMTP AUTH is disabled); enable Imap and Smtp, or set Transport to Graph");
        }

        if (options.Transport != MailTransport.Graph
            && options.Imap is { Enabled: false } && options.Pop3 is { Enabled: false } && options.Smtp is { Enabled: false })
        {
            problems.Add(path, "IMAP, POP3 and SMTP are all disabled; enable at least one, set Transport to Graph, or remove the account");
        }
    }

    // A bare address only: a display name ("Sales <sales@contoso.com>") would reach the mail server's login as-is.
    private static bool IsAddress(string text) =>
        MailAddress.TryCreate(text, out var parsed)
        && string.Equals(parsed.Address, text, StringComparison.Ordinal)
        && parsed.Host.Length > 0;
}
