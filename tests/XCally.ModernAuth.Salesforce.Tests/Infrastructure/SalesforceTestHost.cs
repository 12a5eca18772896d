using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Salesforce.Tests.Infrastructure;

/// <summary>An SDK host with the Salesforce package against a running emulated org, sharing one fake clock unless told otherwise.</summary>
internal sealed class SalesforceTestHost : IAsyncDisposable
{
    private SalesforceTestHost(SalesforceEmulator emulator, ServiceProvider services, FakeTimeProvider time)
    {
        Emulator = emulator;
        Services = services;
        Time = time;
    }

    public SalesforceEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public ISalesforceClient Client => Services.GetRequiredService<ISalesforceClientFactory>().CreateClient("salesforce");

    public ISalesforceSessionProvider Sessions => Services.GetRequiredService<ISalesforceSessionProvider>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<SalesforceTestHost> StartAsync(
        SalesforceFlow flow = SalesforceFlow.ClientCredentials,
        Action<SalesforceProviderOptions>? configure = null,
        Action<SalesforceEmulatorOptions>? configureEmulator = null,
        TimeProvider? emulatorClock = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new SalesforceEmulatorOptions { TimeProvider = emulatorClock ?? time };
        configureEmulator?.Invoke(options);
        var emulator = await SalesforceEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        var builder = services.AddXCallyModernAuth().UseSalesforceEmulator(emulator, flow: flow);
        if (configure is not null)
        {
            builder.AddSalesforceProvider("salesforce", configure);
        }

        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new SalesforceTestHost(emulator, provider, time);
    }

    /// <summary>Validates a host bound to JSON configuration, as it would at start.</summary>
    public static OptionsValidationException? ValidateConfiguration(string json, Action<IModernAuthBuilder>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        var builder = services.AddXCallyModernAuth(configuration).AddSalesforce();
        configure?.Invoke(builder);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
