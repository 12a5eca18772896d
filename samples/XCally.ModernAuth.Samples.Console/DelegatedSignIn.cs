using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Console;

/// <summary>
/// Signs a mailbox user in once (delegated flow). On the emulator it plays the administrator's browser through the
/// authorization code flow with PKCE, exactly as a web host's sign-in and callback endpoints would; against Office 365 it
/// shows a device code to enter at Microsoft's sign-in page.
/// </summary>
internal sealed class DelegatedSignIn(IServiceProvider services, ModernAuthEmulator? emulator)
{
    public const string EmulatorProviderName = "emulator-delegated";

    public async Task<EmailAccount> RunAsync(string? address, CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<IEmailAccountStore>();
        var providers = services.GetRequiredService<ICloudProviderStore>();
        var authorization = services.GetRequiredService<IModernAuthAuthorization>();
        var account = await FindDelegatedAccountAsync(accounts, providers, address, cancellationToken);

        System.Console.WriteLine();
        System.Console.WriteLine($"Delegated sign-in for {account.Address} (provider {account.CloudProviderName})");
        if (await authorization.IsAuthorizedAsync(account, cancellationToken))
        {
            System.Console.WriteLine("      already signed in: tokens come from the token cache");
            return account;
        }

        DelegatedAuthorizationResult result;
        if (emulator is not null)
        {
            var signInUrl = await authorization.BeginAsync(account, cancellationToken: cancellationToken);
            StepRunner.Detail($"browser goes to {signInUrl.GetLeftPart(UriPartial.Path)}?… (PKCE challenge and state, no secret)");
            var callback = await emulator.SignInAsync(signInUrl, cancellationToken);
            StepRunner.Detail($"identity platform redirects to {callback.GetLeftPart(UriPartial.Path)} with a code");
            result = await authorization.CompleteAsync(AuthorizationCallback.Parse(callback.Query), cancellationToken);
        }
        else
        {
            result = await authorization.AuthorizeWithDeviceCodeAsync(
                account,
                (code, _) =>
                {
                    System.Console.WriteLine($"      {code.Message}");
                    return Task.CompletedTask;
                },
                cancellationToken);
        }

        StepRunner.Detail($"signed in: {result}");
        return account;
    }

    private static async Task<EmailAccount> FindDelegatedAccountAsync(
        IEmailAccountStore accounts, ICloudProviderStore providers, string? address, CancellationToken cancellationToken)
    {
        foreach (var account in await accounts.ListAsync(cancellationToken))
        {
            var provider = await providers.FindAsync(account.CloudProviderName, cancellationToken);
            if (provider?.Flow == AuthFlow.Delegated && (address is null || string.Equals(address, account.Address, StringComparison.OrdinalIgnoreCase)))
            {
                return account;
            }
        }

        throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            address is null ? "No email account of a delegated cloud provider is configured." : $"'{address}' is not an email account of a delegated cloud provider.",
            "Set \"Flow\": \"Delegated\" and a RedirectUri on the cloud provider, and associate the account with it.");
    }
}
