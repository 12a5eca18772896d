using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Samples.Tests.Infrastructure;
using XCally.ModernAuth.Samples.Worker;

namespace XCally.ModernAuth.Samples.Tests.Channel;

/// <summary>The channel with its accounts on Microsoft Graph (Transport: Graph): delta polling, replies by Graph sendMail.</summary>
public sealed class GraphChannelTests : IDisposable
{
    private static readonly TimeSpan PollStep = TimeSpan.FromSeconds(5);
    private readonly string _cursorDirectory = Path.Combine(Path.GetTempPath(), "xcally-graph-channel-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_AccountsOnGraphAcrossARestart_EachMessageHandledOnceRepliedByGraphAndDeltaLinkPersisted()
    {
        await using var host = await ChannelTestHost.StartAsync(
            configure: services => services.AddSingleton<IMailCursorStore>(new FileMailCursorStore(_cursorDirectory)),
            transport: MailTransport.Graph);
        var sent = new List<MimeMessage>();
        foreach (var channel in host.Channels)
        {
            sent.Add(host.Send(channel, $"Before the first poll, to {channel.Address}"));
        }

        await host.AdvanceUntilAsync(() => host.Acknowledged(sent), "acknowledgements of the first messages", PollStep);
        await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), "every account waiting for its next poll", PollStep);
        foreach (var channel in host.Channels)
        {
            sent.Add(host.Send(channel, $"Between two polls, to {channel.Address}"));
        }

        await host.AdvanceUntilAsync(() => host.Acknowledged(sent), "acknowledgements of the second messages", PollStep);

        // Each account's delta link is in the cursor files, where a restarted worker finds it.
        var cursors = new FileMailCursorStore(_cursorDirectory);
        foreach (var channel in host.Channels)
        {
            var cursor = await cursors.GetAsync(channel.Address, MailFolderNames.Inbox, Ct);
            Assert.NotNull(cursor);
            using var json = JsonDocument.Parse(cursor);
            Assert.Contains("$deltatoken=", json.RootElement.GetProperty("delta").GetString(), StringComparison.Ordinal);
        }

        await host.RestartAsync();
        foreach (var channel in host.Channels)
        {
            sent.Add(host.Send(channel, $"After the restart, to {channel.Address}"));
        }

        await host.AdvanceUntilAsync(() => host.Acknowledged(sent), "acknowledgements after the restart", PollStep);

        // A few more polls of every account (they also see the read flags the channel set): nothing comes back.
        var deltaReads = host.Emulator.Graph.RequestCount("delta");
        await host.AdvanceUntilAsync(() => host.Emulator.Graph.RequestCount("delta") >= deltaReads + (3 * host.Channels.Count), "three more polls per account", PollStep);
        await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), "the last polls done", PollStep);

        Assert.All(sent, message => Assert.Equal(1, host.Handled.InvocationsOf(message)));
        var replies = host.Customer.Messages.GroupBy(m => m.InReplyTo).ToDictionary(g => g.Key!, g => g.Count(), StringComparer.Ordinal);
        Assert.All(sent, message => Assert.Equal(1, replies.GetValueOrDefault(message.MessageId!)));

        // Every reply went by Graph sendMail; nothing signed in to SMTP or IMAP.
        Assert.Equal(sent.Count, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal(0, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Succeeded + host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
        Assert.Equal(0, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Succeeded + host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Failed);
    }

    public void Dispose()
    {
        if (Directory.Exists(_cursorDirectory))
        {
            Directory.Delete(_cursorDirectory, recursive: true);
        }
    }
}
