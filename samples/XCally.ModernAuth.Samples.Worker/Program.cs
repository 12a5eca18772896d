using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Samples.Worker;
using XCally.ModernAuth.Testing;

// A contact center's email channel: every configured account keeps an IMAP IDLE session open, each new message is handled once
// and answered with an acknowledgement over SMTP.
//
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker                          the embedded Office 365 emulator
//   dotnet run --project samples/XCally.ModernAuth.Samples.Worker -- --config appsettings.json   real Office 365
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
ModernAuthEmulator? emulator = null;
if (modernAuth.GetSection("EmailAccounts").Exists())
{
    builder.Services.AddXCallyModernAuth(modernAuth);
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
    builder.Services.AddXCallyModernAuth().UseEmulator(emulator);
    builder.Services.AddEmailChannel(channel);
    builder.Services.AddSingleton(emulator);
    builder.Services.AddHostedService<DemoCustomer>();
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
}
