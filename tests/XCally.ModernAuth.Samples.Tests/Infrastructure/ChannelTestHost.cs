using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using XCally.ModernAuth.Samples.Worker;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Tests.Infrastructure;

/// <summary>
/// The worker's services in a real Generic Host, wired to a running emulator with three channel mailboxes (support, sales,
/// billing) and a customer in another company. One <see cref="FakeTimeProvider"/> is the clock of the host and of the emulator.
/// </summary>
internal sealed class ChannelTestHost : IAsyncDisposable
{
    private static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(30);
    private readonly Action<IServiceCollection>? _configure;
    private readonly MailTransport _transport;
    private readonly (string Agent, string Shared)? _sharedMailbox;
    private IHost _host;

    private ChannelTestHost(
        ModernAuthEmulator emulator,
        FakeTimeProvider time,
        EmulatorMailbox customer,
        Action<IServiceCollection>? configure,
        MailTransport transport,
        (string Agent, string Shared)? sharedMailbox = null)
    {
        Emulator = emulator;
        Time = time;
        Customer = customer;
        _configure = configure;
        _sharedMailbox = sharedMailbox;
        _transport = transport;
        _host = Build();
    }

    public ModernAuthEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public EmulatorMailbox Customer { get; }

    public HandledMessages Handled { get; } = new();

    public IReadOnlyList<EmulatorMailbox> Channels => [.. Emulator.Mailboxes];

    public IServiceProvider Services => _host.Services;

    public AccountStatusBoard Board => Services.GetRequiredService<AccountStatusBoard>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="arrange">Changes the emulator before the worker starts (revoke a permission, disable SMTP AUTH).</param>
    /// <param name="configure">Changes the worker's services (a state store).</param>
    /// <param name="configureEmulator">Changes the emulator's options.</param>
    /// <param name="transport">The channel accounts' Transport (Graph: the emulator's Graph API).</param>
    public static async Task<ChannelTestHost> StartAsync(
        Action<ModernAuthEmulator>? arrange = null,
        Action<IServiceCollection>? configure = null,
        Action<ModernAuthEmulatorOptions>? configureEmulator = null,
        MailTransport transport = MailTransport.Imap)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ModernAuthEmulatorOptions { TimeProvider = time };
        options.Mailboxes.Add("billing");
        configureEmulator?.Invoke(options);
        var emulator = await ModernAuthEmulator.StartAsync(options, Ct);
        var customer = emulator.Directory.AddMailbox(emulator.Directory.AddTenant("fabrikam.example"), "alex@fabrikam.example");
        arrange?.Invoke(emulator);
        var channelHost = new ChannelTestHost(emulator, time, customer, configure, transport);
        await channelHost._host.StartAsync(Ct);
        return channelHost;
    }

    /// <summary>
    /// The sample's shared-mailbox channel (<see cref="SharedMailboxDemo"/>): <c>support@</c> a shared mailbox served by the
    /// delegated sign-in of an agent holding Full Access and Send As on it, the agent signed in once as the host starts.
    /// </summary>
    public static async Task<ChannelTestHost> StartSharedMailboxAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var emulator = await ModernAuthEmulator.StartAsync(new ModernAuthEmulatorOptions { TimeProvider = time }, Ct);
        var customer = emulator.Directory.AddMailbox(emulator.Directory.AddTenant("fabrikam.example"), "alex@fabrikam.example");
        var channelHost = new ChannelTestHost(emulator, time, customer, configure: null, MailTransport.Imap, SharedMailboxDemo.Arrange(emulator));
        await channelHost._host.StartAsync(Ct);
        return channelHost;
    }

    public EmulatorMailbox Channel(string localPart) => Channels.Single(m => m.Address.StartsWith(localPart + "@", StringComparison.Ordinal));

    /// <summary>The customer writes to a channel mailbox; the message lands in its INBOX at once.</summary>
    public MimeMessage Send(EmulatorMailbox channel, string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = Time.GetUtcNow() };
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("fabrikam.example");
        message.From.Add(new MailboxAddress("Alex Customer", Customer.Address));
        message.To.Add(MailboxAddress.Parse(channel.Address));
        message.Body = new TextPart("plain") { Text = "Where is my order?" };
        channel.Deliver(message);
        return message;
    }

    /// <summary>
    /// Whether every message was handled (the handler returned) and its acknowledgement is in the customer's mailbox. The reply
    /// lands a moment before the handler returns, hence both.
    /// </summary>
    public bool Acknowledged(IEnumerable<MimeMessage> sent)
    {
        var answered = Customer.Messages.Select(m => m.InReplyTo).ToHashSet(StringComparer.Ordinal);
        return sent.All(m => answered.Contains(m.MessageId) && Handled.CompletionsOf(m) > 0);
    }

    public bool HasStatus(string localPart, AccountStatus status) => Board.Get(Channel(localPart).Address)?.Status == status;

    public bool AllHaveStatus(AccountStatus status) => Channels.All(c => Board.Get(c.Address)?.Status == status);

    /// <summary>Moves the fake clock in small steps until a condition holds, for at most 30 s of real time.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > RealTimeLimit)
            {
                throw new TimeoutException($"Timed out waiting for: {what}.\n{Describe()}");
            }

            Time.Advance(step ?? TimeSpan.FromSeconds(1));
            await Task.Delay(15, Ct);
        }
    }

    /// <summary>Waits, without moving the fake clock, until a condition holds, for at most 30 s of real time.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > RealTimeLimit)
            {
                throw new TimeoutException($"Timed out waiting for: {what}.\n{Describe()}");
            }

            await Task.Delay(15, Ct);
        }
    }

    /// <summary>Stops the worker like Ctrl+C does, within a bounded time.</summary>
    public async Task StopAsync() => await _host.StopAsync(CancellationToken.None).WaitAsync(RealTimeLimit, Ct);

    /// <summary>Stops the worker and starts a new one on the same emulator, clock and (if configured so) state file.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _host.Dispose();
        _host = Build();
        await _host.StartAsync(Ct);
    }

    public string Describe()
    {
        var states = string.Join('\n', Board.Accounts.Select(a => $"  {a.Key}: {a.Value.Status} {a.Value.Failure}"));
        var logs = string.Join('\n', Logs.GetSnapshot().TakeLast(40).Select(r => $"  {r.Level} {r.Category}: {r.Message}"));
        return $"Accounts:\n{states}\nLast log lines:\n{logs}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
            await Emulator.DisposeAsync();
        }
    }

    private IHost Build()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        IModernAuthBuilder modernAuth;
        if (_sharedMailbox is { } sharedMailbox)
        {
            modernAuth = builder.Services.AddSharedMailboxChannel(Emulator, sharedMailbox.Agent, sharedMailbox.Shared);
        }
        else
        {
            modernAuth = builder.Services.AddXCallyModernAuth().UseEmulator(Emulator);
        }

        if (_transport != MailTransport.Imap)
        {
            modernAuth.UseGraphEmulator(Emulator, _transport);
        }

        builder.Services.AddEmailChannel();
        _configure?.Invoke(builder.Services);

        // Whatever handler the worker ends up with (acknowledgements by default, or one the configuration chose) is recorded.
        var chosen = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IMessageHandler))?.ImplementationType ?? typeof(AcknowledgementReplyHandler);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageHandler>(sp =>
            new RecordingMessageHandler((IMessageHandler)ActivatorUtilities.CreateInstance(sp, chosen), Handled)));
        return builder.Build();
    }
}
