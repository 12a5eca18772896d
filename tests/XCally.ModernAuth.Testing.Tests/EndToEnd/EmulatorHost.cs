using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>A running emulator and an SDK host wired to it through the public API only.</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    private EmulatorHost(ModernAuthEmulator emulator, ServiceProvider services, FakeTimeProvider emulatorTime, FakeLogCollector logs)
    {
        Emulator = emulator;
        Services = services;
        EmulatorTime = emulatorTime;
        Logs = logs;
    }

    public ModernAuthEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    /// <summary>The emulator's clock. The SDK keeps the system clock, so moving this one makes tokens expire at the servers only.</summary>
    public FakeTimeProvider EmulatorTime { get; }

    public FakeLogCollector Logs { get; }

    public IMailClientConnector Connector => Services.GetRequiredService<IMailClientConnector>();

    public ITokenProvider Tokens => Services.GetRequiredService<ITokenProvider>();

    public string Support => Emulator.Mailboxes.Single(m => m.Address.StartsWith("support@", StringComparison.Ordinal)).Address;

    public string Sales => Emulator.Mailboxes.Single(m => m.Address.StartsWith("sales@", StringComparison.Ordinal)).Address;

    public static Task<EmulatorHost> StartAsync(Action<IModernAuthBuilder>? configure = null, Action<ModernAuthEmulatorOptions>? emulatorOptions = null) =>
        StartAsync((builder, _) => configure?.Invoke(builder), emulatorOptions);

    /// <summary>Starts the emulator, lets the test set the scene on it (identities, permissions), then builds the SDK host.</summary>
    public static async Task<EmulatorHost> StartAsync(Action<IModernAuthBuilder, ModernAuthEmulator> configure, Action<ModernAuthEmulatorOptions>? emulatorOptions = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ModernAuthEmulatorOptions { TimeProvider = time };
        emulatorOptions?.Invoke(options);
        var emulator = await ModernAuthEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        var builder = services.AddXCallyModernAuth().UseEmulator(emulator);
        configure(builder, emulator);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new EmulatorHost(emulator, provider, time, provider.GetFakeLogCollector());
    }

    public async Task<EmailAccount> AccountAsync(string address) =>
        await Services.GetRequiredService<IEmailAccountStore>().FindAsync(address, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException(address);

    /// <summary>Sends one plain-text message from the support mailbox to the sales one through the connector's SMTP client.</summary>
    public async Task SendSupportToSalesAsync(string subject, string text)
    {
        var ct = TestContext.Current.CancellationToken;
        using var smtp = await Connector.ConnectSmtpAsync(Support, ct);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Support));
        message.To.Add(MailboxAddress.Parse(Sales));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Assert.Equal(0, Emulator.Mail.FaultedSessions);
        await Emulator.DisposeAsync();
    }
}
