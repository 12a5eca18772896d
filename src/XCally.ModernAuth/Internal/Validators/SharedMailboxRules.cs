using System.Net.Mail;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The checks of an account served by another user's sign-in (<see cref="EmailAccountOptions.SignInUser"/>): on its own, against
/// its provider's flow, and against the other configured accounts. A shared mailbox has no sign-in of its own, so naming one as the
/// sign-in, or naming a sign-in where the application signs in, is a sign-in nobody can make.
/// </summary>
internal static class SharedMailboxRules
{
    private const string SignInUserKey = "SignInUser";

    /// <summary>The checks that need nothing but the account.</summary>
    public static void Validate(string path, EmailAccountOptions options, ValidationProblems problems)
    {
        var signInPath = ValidationProblems.Path(path, SignInUserKey);
        EnumRules.Defined(options.SendPermission, ConfigurationEnums.SendPermission, ValidationProblems.Path(path, "SendPermission"), problems);
        if (options.SignInUser is null)
        {
            if (options.SendPermission == SendPermission.SendOnBehalf)
            {
                problems.Add(
                    ValidationProblems.Path(path, "SendPermission"),
                    "SendOnBehalf sends with a Sender: header of the user who signs in, and this account names none; set SignInUser to the user "
                    + "granted Send on Behalf (Set-Mailbox -Identity <mailbox> -GrantSendOnBehalfTo <user>), or remove SendPermission");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(options.SignInUser))
        {
            problems.Add(signInPath, "empty; remove it to have the mailbox's own user sign in, or set the user who holds Full Access to this shared mailbox");
        }
        else if (!IsUserPrincipalName(options.SignInUser))
        {
            problems.Add(signInPath, $"'{options.SignInUser}' is not a user principal name such as agent@contoso.com; set the sign-in name of the user who holds Full Access to this mailbox");
        }
        else if (options.Address is not null && string.Equals(options.SignInUser.Trim(), options.Address.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(
                signInPath,
                $"'{options.SignInUser}' is the account's own address: a mailbox's own user signs in without SignInUser, and nobody can sign in as a "
                + "shared mailbox; remove SignInUser, or set it to the user who holds Full Access to this shared mailbox (Add-MailboxPermission)");
        }
    }

    /// <summary>The checks against the account's provider: only a delegated sign-in can be another user's.</summary>
    public static void ValidateFlow(string path, EmailAccountOptions options, string providerName, AuthFlow flow, ValidationProblems problems)
    {
        if (options.SignInUser is null || flow != AuthFlow.AppOnly)
        {
            return;
        }

        problems.Add(
            ValidationProblems.Path(path, SignInUserKey),
            $"cloud provider '{providerName}' uses app-only tokens, which are the application's own, so nobody signs in as '{options.SignInUser}'; "
            + "remove SignInUser and give the application's service principal the mailbox (Add-MailboxPermission -Identity <mailbox> -User "
            + "<servicePrincipalId> -AccessRights FullAccess, and Add-RecipientPermission -Trustee <servicePrincipalId> -AccessRights SendAs to send as it), "
            + "or associate the account with a Delegated provider");
    }

    /// <summary>
    /// The checks across the configured accounts: a sign-in user that is itself an account served by someone else's sign-in is a
    /// shared mailbox, which nobody can sign in as.
    /// </summary>
    public static void ValidateAcrossAccounts(IReadOnlyList<(string Path, EmailAccountOptions Account)> accounts, ValidationProblems problems)
    {
        var served = new Dictionary<string, (string Path, string SignInUser)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, account) in accounts)
        {
            if (!string.IsNullOrWhiteSpace(account.Address) && !string.IsNullOrWhiteSpace(account.SignInUser))
            {
                served.TryAdd(account.Address.Trim(), (path, account.SignInUser.Trim()));
            }
        }

        foreach (var (path, account) in accounts)
        {
            if (string.IsNullOrWhiteSpace(account.SignInUser) || !served.TryGetValue(account.SignInUser.Trim(), out var shared))
            {
                continue;
            }

            if (string.Equals(shared.Path, path, StringComparison.Ordinal))
            {
                continue;
            }

            problems.Add(
                ValidationProblems.Path(path, SignInUserKey),
                $"'{account.SignInUser}' is a shared mailbox itself ({shared.Path} is signed in as '{shared.SignInUser}'), and nobody can sign in as a "
                + $"shared mailbox; set SignInUser to '{shared.SignInUser}' or to another user who holds Full Access to '{account.Address}'");
        }
    }

    /// <summary>
    /// What a delegated provider's own scopes leave out for a protocol its accounts use: one token carries every scope of the
    /// provider, and Exchange Online refuses SMTP without <c>SMTP.Send</c> (IMAP and POP3 likewise without theirs).
    /// </summary>
    /// <returns>A warning per account and protocol, with the path and the fix; the defaults request all three.</returns>
    public static IEnumerable<string> MissingProtocolScopes(string path, EmailAccountOptions account, string providerPath, CloudProviderOptions provider)
    {
        if (provider.Flow != AuthFlow.Delegated || provider.Scopes.Count == 0)
        {
            yield break;
        }

        foreach (var (protocol, endpoint) in new[] { (MailProtocol.Imap, account.Imap), (MailProtocol.Pop3, account.Pop3), (MailProtocol.Smtp, account.Smtp) })
        {
            var scope = Diagnostics.TokenDiagnosis.UserPermission(protocol);
            if (endpoint is { Enabled: true } && !provider.Scopes.Any(s => s.Trim().EndsWith("/" + scope, StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{ValidationProblems.Path(path, protocol.ToString(), "Enabled")}: {protocol} is enabled, but {providerPath}:Scopes has no {scope}, "
                    + $"so its token will be refused for {protocol}; add {CloudEnvironmentDefaults.GetDelegatedResource(provider.Cloud)}/{scope} to the "
                    + $"provider's Scopes (and sign in again to consent), or set {protocol}:Enabled to false";
            }
        }
    }

    private static bool IsUserPrincipalName(string text) =>
        MailAddress.TryCreate(text.Trim(), out var parsed)
        && string.Equals(parsed.Address, text.Trim(), StringComparison.Ordinal)
        && parsed.Host.Length > 0;
}
