using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using MimeKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.Infrastructure;

/// <summary>An SDK host with the Graph transport against a running emulator (its identity platform, Graph and mail servers).</summary>
internal sealed class GraphTestHost : IAsyncDisposable
{
    private readonly bool _ownsEmulator;

    private GraphTestHost(ModernAuthEmulator emulator, ServiceProvider services, bool ownsEmulator)
    {
        Emulator = emulator;
        Services = services;
        _ownsEmulator = ownsEmulator;
    }

    public ModernAuthEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public IMailTransports Transports => Services.GetRequiredService<IMailTransports>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public string Support => $"support@{Emulator.Tenant.Domain}";

    public string Sales => $"sales@{Emulator.Tenant.Domain}";

    public static async Task<GraphTestHost> StartAsync(
        MailTransport transport = MailTransport.Graph,
        Action<IModernAuthBuilder>? configure = null,
        ModernAuthEmulator? emulator = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = emulator is null;
        emulator ??= await ModernAuthEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services?.Invoke(collection);
        var builder = collection.AddXCallyModernAuth().UseEmulator(emulator).UseGraphEmulator(emulator, transport);
        configure?.Invoke(builder);
        var provider = collection.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new GraphTestHost(emulator, provider, owns);
    }

    public static MimeMessage Message(string from, string to, string subject, string body = "Hello from the test.")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsEmulator)
        {
            await Emulator.DisposeAsync();
        }
    }
}
