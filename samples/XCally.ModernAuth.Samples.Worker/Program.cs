using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth;
using XCally.ModernAuth.Samples.Worker;
using XCally.ModernAuth.Testing;

// A contact center's email channel: every configured account keeps an IMAP IDLE session open (or, with Transport: Graph, polls
// Microsoft Graph's delta), each new message is handled once and answered with an acknowledgement over SMTP (or Graph).
//
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker                          the embedded Office 365 emulator
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker -- --config appsettings.json   real Office 365
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker -- --shared-mailbox true   the emulator's support@ as a shared
//                                                                                          mailbox, read and answered (Send As)
//                                                                                          with an agent's delegated sign-in
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker -- --transport graph      the emulator, the channel on Graph
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker -- --salesforce true       every new email becomes a Salesforce
//                                                                                          Case (the embedded Salesforce emulator
//                                                                                          unless the configuration has a provider)
//
// Host.CreateApplicationBuilder reads environment variables and the command line, so "--config <file>" arrives as "config".
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
if (builder.Configuration["config"] is { } configFile)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: true);
}

var modernAuth = builder.Configuration.GetSection("XCallyModernAuth");
var channel = builder.Configuration.GetSection("EmailChannel");
var salesforceCases = string.Equals(builder.Configuration["salesforce"], "true", StringComparison.OrdinalIgnoreCase)
    || channel.GetSection("SalesforceCases").Exists();
ModernAuthEmulator? emulator = null;
SalesforceEmulator? salesforce = null;
IModernAuthBuilder modernAuthBuilder;
if (modernAuth.GetSection("EmailAccounts").Exists())
{
    // Accounts with Transport: Graph (or Auto) need the Graph transport; their delta links are kept in files, so that a
    // restarted worker reads on where it stopped.
    modernAuthBuilder = builder.Services.AddXCallyModernAuth(modernAuth).AddGraphTransport();
    builder.Services.AddSingleton<IMailCursorStore>(new FileMailCursorStore(channel["CursorDirectory"] ?? "email-channel-cursors"));
    builder.Services.AddEmailChannel(channel);
    builder.Services.AddJsonFileChannelState(channel["StateFile"] ?? "email-channel-state.json");
}
else
{
    // No accounts configured: run against the emulator. Its mailboxes live only as long as this process, so the channel
    // state stays in memory too (a state file would point at messages that no longer exist).
    var options = new ModernAuthEmulatorOptions();
    options.Mailboxes.Add("billing");
    emulator = await ModernAuthEmulator.StartAsync(options);
    if (string.Equals(builder.Configuration["shared-mailbox"], "true", StringComparison.OrdinalIgnoreCase))
    {
        var (agent, shared) = SharedMailboxDemo.Arrange(emulator);
        modernAuthBuilder = builder.Services.AddSharedMailboxChannel(emulator, agent, shared);
    }
    else
    {
        modernAuthBuilder = builder.Services.AddXCallyModernAuth().UseEmulator(emulator);
    }

    if (builder.Configuration["transport"] is { } transport)
    {
        // "--transport graph" (or auto) runs the emulator's accounts on Microsoft Graph, as Transport: Graph in a configuration does.
        if (!Enum.TryParse<MailTransport>(transport, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(transport, out _))
        {
            Console.Error.WriteLine($"'--transport' must be imap, graph or auto, not '{transport}'.");
            await emulator.DisposeAsync();
            return 2;
        }

        modernAuthBuilder.UseGraphEmulator(emulator, kind);
    }

    builder.Services.AddEmailChannel(channel);
    builder.Services.AddSingleton(emulator);
    builder.Services.AddHostedService<DemoCustomer>();
}

if (salesforceCases)
{
    // A Salesforce provider from the configuration when there is one, else the embedded Salesforce emulator.
    var caseSettings = channel.GetSection("SalesforceCases");
    var providerName = caseSettings["CloudProvider"] ?? "salesforce";
    if (modernAuth.GetSection("CloudProviders").GetSection(providerName).Exists())
    {
        modernAuthBuilder.AddSalesforce();
    }
    else
    {
        salesforce = await SalesforceEmulator.StartAsync();
        modernAuthBuilder.UseSalesforceEmulator(salesforce, providerName);
    }

    builder.Services.AddSalesforceCases(caseSettings);
}

try
{
    using var host = builder.Build();
    await host.RunAsync();
}
finally
{
    if (emulator is not null)
    {
        await emulator.DisposeAsync();
    }

    if (salesforce is not null)
    {
        await salesforce.DisposeAsync();
    }
}

return 0;
