using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth;
using XCally.ModernAuth.Samples.Console;
using XCally.ModernAuth.Testing;

SampleArguments arguments;
try
{
    arguments = SampleArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SampleArguments.Usage);
    return ExitCodes.BadArguments;
}

if (arguments.Help)
{
    Console.WriteLine(SampleArguments.Usage);
    return ExitCodes.Success;
}

// Real Office 365 when a configuration is given; otherwise the embedded emulator.
var configurationBuilder = new ConfigurationBuilder().AddEnvironmentVariables();
if (arguments.ConfigFile is not null)
{
    configurationBuilder.AddJsonFile(Path.GetFullPath(arguments.ConfigFile), optional: false);
}

var section = configurationBuilder.Build().GetSection(ModernAuthOptions.SectionName);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

ModernAuthEmulator? emulator = null;
try
{
    var services = new ServiceCollection();
    services.AddLogging(logging => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(arguments.Verbose ? LogLevel.Debug : LogLevel.Warning));

    if (section.Exists())
    {
        Console.WriteLine($"Using the configuration's '{ModernAuthOptions.SectionName}' section against Office 365.");
        // Graph is registered either way: accounts with Transport Graph or Auto need it; Imap accounts never call it.
        services.AddXCallyModernAuth(section).AddGraphTransport();
        if (arguments.Transport is { } transport)
        {
            services.PostConfigure<ModernAuthOptions>(options =>
            {
                foreach (var account in options.EmailAccounts)
                {
                    account.Transport = transport;
                }
            });
        }
    }
    else
    {
        Console.WriteLine("No configuration found: starting the embedded Office 365 emulator.");
        emulator = await ModernAuthEmulator.StartAsync(cancellationToken: cancellation.Token);
        // A mailbox the application was never given access to (no Add-MailboxPermission), to show a refused login.
        emulator.AddMailbox("no-access", grantFullAccess: false);
        var builder = services.AddXCallyModernAuth().UseEmulator(emulator);
        if (arguments.Delegated)
        {
            // A user with their own mailbox, who signs in once; the sample keeps the sign-in in memory only.
            emulator.AddUserWithMailbox("agent", "Agent Smith");
            builder.UseEmulator(emulator, DelegatedSignIn.EmulatorProviderName, AuthFlow.Delegated).UseMemoryTokenCache();
        }

        if (arguments.Transport is MailTransport.Graph or MailTransport.Auto)
        {
            builder.UseGraphEmulator(emulator, arguments.Transport.Value);
            TransportWalkthrough.PrepareEmulator(emulator, arguments.Transport.Value);
        }

        Console.WriteLine($"  identity platform {emulator.Identity.BaseAddress}, tenant {emulator.Tenant.Domain}");
        Console.WriteLine($"  IMAP {emulator.Mail.GetEndpoint(MailProtocol.Imap)}, POP3 {emulator.Mail.GetEndpoint(MailProtocol.Pop3)}, SMTP {emulator.Mail.GetEndpoint(MailProtocol.Smtp)}");
        Console.WriteLine($"  Microsoft Graph {emulator.Graph.BaseAddress}");
    }

    await using var provider = services.BuildServiceProvider();
    try
    {
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
    catch (OptionsValidationException e)
    {
        Console.Error.WriteLine("The configuration is invalid:");
        foreach (var failure in e.Failures)
        {
            Console.Error.WriteLine($"  - {failure}");
        }

        return ExitCodes.InvalidConfiguration;
    }

    if (arguments.Delegated)
    {
        var account = await new DelegatedSignIn(provider, emulator).RunAsync(arguments.Account, cancellation.Token);
        arguments = arguments with { Account = account.Address };
    }

    if (arguments.Check)
    {
        return await AccountCheck.RunAsync(provider, arguments.Account, cancellation.Token);
    }

    if (arguments.Transport is MailTransport.Graph or MailTransport.Auto)
    {
        return await new TransportWalkthrough(provider, arguments, emulator).RunAsync(arguments.Transport.Value, cancellation.Token);
    }

    var walkthrough = new MailWalkthrough(provider, arguments, emulator, showRefusal: !arguments.Delegated);
    return await walkthrough.RunAsync(cancellation.Token);
}
catch (ModernAuthException e)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine($"Failed ({e.Category}{(e.ErrorCode is null ? string.Empty : ", " + e.ErrorCode)}): {e.Message}");
    if (e.ServerResponse is not null)
    {
        Console.Error.WriteLine($"  server said: {e.ServerResponse}");
    }

    return e.Category == ModernAuthErrorCategory.InvalidConfiguration ? ExitCodes.InvalidConfiguration : ExitCodes.AuthenticationFailed;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return ExitCodes.Unexpected;
}
finally
{
    if (emulator is not null)
    {
        await emulator.DisposeAsync();
    }
}
