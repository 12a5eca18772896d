using Microsoft.Extensions.DependencyInjection;

namespace XCally.ModernAuth.Samples.Console;

/// <summary><c>--check [ADDRESS]</c>: the SDK's diagnosis of one account, printed as a checklist.</summary>
internal static class AccountCheck
{
    public static async Task<int> RunAsync(IServiceProvider services, string? address, CancellationToken cancellationToken)
    {
        address ??= (await services.GetRequiredService<IEmailAccountStore>().ListAsync(cancellationToken)).FirstOrDefault()?.Address;
        if (address is null)
        {
            System.Console.Error.WriteLine("No email account is configured: add one under XCallyModernAuth:EmailAccounts.");
            return ExitCodes.InvalidConfiguration;
        }

        var diagnosis = await services.GetRequiredService<IModernAuthDiagnostics>().DiagnoseAsync(address, DiagnosisScope.Full, cancellationToken);
        System.Console.WriteLine();
        System.Console.WriteLine(diagnosis);
        if (diagnosis.FirstFailure is { } failure)
        {
            System.Console.WriteLine($"See {failure.HelpLink}");
            return ExitCodes.CheckFailed;
        }

        return ExitCodes.Success;
    }
}
