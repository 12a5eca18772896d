using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Benchmarks.Graph;

/// <summary>
/// One emulator (identity platform, Graph, SMTP and IMAP over the same mailboxes) and two SDK hosts on it, registered the way
/// a user would: one whose account sends by SMTP (<see cref="MailTransport.Imap"/>), one whose account sends by Graph.
/// </summary>
internal sealed class SendStack : IAsyncDisposable
{
    private readonly ServiceProvider _smtpHost;
    private readonly ServiceProvider _graphHost;

    private SendStack(ModernAuthEmulator emulator, ServiceProvider smtpHost, ServiceProvider graphHost, IMailTransport smtp, IMailTransport graph)
    {
        Emulator = emulator;
        _smtpHost = smtpHost;
        _graphHost = graphHost;
        Smtp = smtp;
        Graph = graph;
    }

    public ModernAuthEmulator Emulator { get; }

    public IMailTransport Smtp { get; }

    public IMailTransport Graph { get; }

    public string From => $"support@{Emulator.Tenant.Domain}";

    public string To => $"sales@{Emulator.Tenant.Domain}";

    public static async Task<SendStack> StartAsync(CancellationToken cancellationToken = default)
    {
        var emulator = await ModernAuthEmulator.StartAsync(cancellationToken: cancellationToken);
        var smtpHost = Host(builder => builder.UseEmulator(emulator));
        var graphHost = Host(builder => builder.UseEmulator(emulator).UseGraphEmulator(emulator, MailTransport.Graph));
        var from = $"support@{emulator.Tenant.Domain}";
        var smtp = await smtpHost.GetRequiredService<IMailTransports>().GetAsync(from, cancellationToken);
        var graph = await graphHost.GetRequiredService<IMailTransports>().GetAsync(from, cancellationToken);
        return new SendStack(emulator, smtpHost, graphHost, smtp, graph);
    }

    /// <summary>The message both transports send: a short plain-text mail, as a help desk's reply would be.</summary>
    public MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse(To));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Thank you for your message. Case 4711 is open and an agent will answer shortly.\r\n" };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await _smtpHost.DisposeAsync();
        await _graphHost.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    private static ServiceProvider Host(Action<IModernAuthBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure(services.AddXCallyModernAuth());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
