using System.Security.Cryptography;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Graph.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.EndToEnd;

/// <summary>The Graph transport against the emulator's Graph, over the same mailboxes as its IMAP and SMTP servers.</summary>
public sealed class GraphMailFlowTests
{
    [Fact]
    public async Task SendAsync_ByGraph_IsReadOverImap()
    {
        await using var host = await GraphTestHost.StartAsync();
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        await transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "Graph to IMAP"), TestContext.Current.CancellationToken);

        Assert.Equal(MailTransport.Graph, transport.Kind);
        Assert.Equal(1, host.Emulator.Graph.RequestCount("sendMail"));
        var connector = host.Services.GetRequiredService<IMailClientConnector>();
        using var imap = await connector.ConnectImapAsync(host.Sales, TestContext.Current.CancellationToken);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        var received = await imap.Inbox.GetMessageAsync(0, TestContext.Current.CancellationToken);
        Assert.Equal("Graph to IMAP", received.Subject);
        Assert.Contains(host.Emulator.Mailboxes.Single(m => m.Address == host.Support).GetMessages(EmulatorMailbox.SentItems), m => m.Subject == "Graph to IMAP");
    }

    [Fact]
    public async Task ReadNewAsync_ByGraph_ReturnsWhatSmtpSent_AsMime()
    {
        await using var host = await GraphTestHost.StartAsync();
        var connector = host.Services.GetRequiredService<IMailClientConnector>();
        using (var smtp = await connector.ConnectSmtpAsync(host.Sales, TestContext.Current.CancellationToken))
        {
            var message = GraphTestHost.Message(host.Sales, host.Support, "SMTP to Graph");
            message.Headers.Add("X-Ticket", "4711");
            await smtp.SendAsync(message, TestContext.Current.CancellationToken);
        }

        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);
        var batch = await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);

        var read = Assert.Single(batch.Messages);
        Assert.Equal("SMTP to Graph", read.Message.Subject);
        Assert.Equal("4711", read.Message.Headers["X-Ticket"]);
        await transport.CommitAsync(batch, TestContext.Current.CancellationToken);
        await transport.MarkReadAsync(read, TestContext.Current.CancellationToken);
        Assert.Empty((await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken)).Messages);
        await transport.MoveAsync(read, MailFolderNames.DeletedItems, TestContext.Current.CancellationToken);
        var mailbox = host.Emulator.Mailboxes.Single(m => m.Address == host.Support);
        Assert.Empty(mailbox.Messages);
        Assert.Single(mailbox.GetMessages(EmulatorMailbox.DeletedItems));
    }

    [Fact]
    public async Task SendAsync_TenMegabyteMessage_GoesThroughDraftAndUploadSession()
    {
        await using var host = await GraphTestHost.StartAsync();
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);
        var content = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        var builder = new BodyBuilder { TextBody = "The report is attached." };
        builder.Attachments.Add("report.bin", content, new ContentType("application", "octet-stream"));
        var message = GraphTestHost.Message(host.Support, host.Sales, "Large report");
        message.Body = builder.ToMessageBody();

        await transport.SendAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal(0, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal(1, host.Emulator.Graph.RequestCount("createUploadSession"));
        Assert.True(host.Emulator.Graph.RequestCount("uploadChunk") >= 3);
        var received = Assert.Single(host.Emulator.Mailboxes.Single(m => m.Address == host.Sales).Messages);
        var attachment = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        using var decoded = new MemoryStream();
        attachment.Content!.DecodeTo(decoded, TestContext.Current.CancellationToken);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(decoded.ToArray()));
        Assert.Equal("report.bin", attachment.FileName);
    }

    [Fact]
    public async Task ReadNewAsync_AfterRestart_ReadsOnFromTheSavedDeltaLink_NoneTwiceNoneLost()
    {
        var directory = Directory.CreateTempSubdirectory("graph-cursors-").FullName;
        try
        {
            await using var emulator = await ModernAuthEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
            var inbox = emulator.Mailboxes.Single(m => m.Address.StartsWith("support@", StringComparison.Ordinal));
            for (var i = 0; i < 25; i++)
            {
                inbox.Deliver(GraphTestHost.Message("someone@example.com", inbox.Address, $"first {i}"));
            }

            var seen = new List<string>();
            await using (var first = await GraphTestHost.StartAsync(emulator: emulator, services: s => s.AddSingleton<IMailCursorStore>(new FileMailCursorStore(directory))))
            {
                var transport = await first.Transports.GetAsync(inbox.Address, TestContext.Current.CancellationToken);
                var batch = await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);
                seen.AddRange(batch.Messages.Select(m => m.Message.Subject ?? string.Empty));
                await transport.CommitAsync(batch, TestContext.Current.CancellationToken);
                await transport.MarkReadAsync(batch.Messages[0], TestContext.Current.CancellationToken);

                // Read but not committed when the host stops: these come again after the restart.
                inbox.Deliver(GraphTestHost.Message("someone@example.com", inbox.Address, "uncommitted"));
                Assert.Single((await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken)).Messages);
            }

            for (var i = 0; i < 5; i++)
            {
                inbox.Deliver(GraphTestHost.Message("someone@example.com", inbox.Address, $"second {i}"));
            }

            await using (var second = await GraphTestHost.StartAsync(emulator: emulator, services: s => s.AddSingleton<IMailCursorStore>(new FileMailCursorStore(directory))))
            {
                var transport = await second.Transports.GetAsync(inbox.Address, TestContext.Current.CancellationToken);
                IncomingMailBatch batch;
                do
                {
                    batch = await transport.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);
                    seen.AddRange(batch.Messages.Select(m => m.Message.Subject ?? string.Empty));
                    await transport.CommitAsync(batch, TestContext.Current.CancellationToken);
                }
                while (batch.HasMore);
            }

            string[] expected = [.. Enumerable.Range(0, 25).Select(i => $"first {i}"), "uncommitted", .. Enumerable.Range(0, 5).Select(i => $"second {i}")];
            Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SendAsync_TwentyAtOnce_StayWithinTheMailboxConcurrencyLimit()
    {
        await using var host = await GraphTestHost.StartAsync();
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, $"burst {i}"), TestContext.Current.CancellationToken)));

        Assert.Equal(0, host.Emulator.Graph.RequestCount("throttled"));
        Assert.Equal(20, host.Emulator.Mailboxes.Single(m => m.Address == host.Sales).Messages.Count);
    }
}
