using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Samples.Tests.Infrastructure;
using XCally.ModernAuth.Samples.Worker;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Tests.Cases;

/// <summary>The channel turning mail into Salesforce Cases, in a real host against both emulators, across a restart and a redelivery.</summary>
public sealed class SalesforceCaseHandlerTests : IDisposable
{
    private readonly string _stateFile = Path.Combine(Path.GetTempPath(), $"xcally-cases-{Guid.NewGuid():N}.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        File.Delete(_stateFile);
        File.Delete(_stateFile + ".tmp");
    }

    [Fact]
    public async Task HandleAsync_ThirtyEmailsARestartAndARedelivery_ExactlyThirtyCasesEachWithItsEmailMessageAndAttachments()
    {
        await using var salesforce = await SalesforceEmulator.StartAsync(cancellationToken: Ct);
        var contactId = salesforce.Org.AddRecord("Contact", new JsonObject { ["LastName"] = "Customer", ["Email"] = "alex@fabrikam.example" });
        await using var host = await ChannelTestHost.StartAsync(configure: services =>
        {
            services.AddXCallyModernAuth().UseSalesforceEmulator(salesforce);
            services.AddSalesforceCases();
            services.AddJsonFileChannelState(_stateFile);
        });
        var support = host.Channel("support");
        await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), "every account idle");

        var sent = new List<MimeMessage>();
        for (var i = 1; i <= 30; i++)
        {
            sent.Add(Send(host, support, i));
            if (i == 15)
            {
                // Restart while the first half is being turned into Cases.
                await host.WaitUntilAsync(() => host.Handled.Invocations.Count >= 5, "the first Cases being created");
                await host.RestartAsync();
            }
        }

        await host.AdvanceUntilAsync(() => sent.All(m => host.Handled.CompletionsOf(m) > 0), "every email handled");

        // The customer's server delivers one message a second time: a new UID, the same Message-ID.
        var redelivered = sent[7];
        support.Deliver(redelivered);
        await host.AdvanceUntilAsync(() => host.Handled.CompletionsOf(redelivered) >= 2, "the redelivered email handled");

        var cases = salesforce.Org.Records("Case");
        var emails = salesforce.Org.Records("EmailMessage");
        var files = salesforce.Org.Records("ContentVersion");
        Assert.Equal(30, cases.Count);
        Assert.Equal(30, emails.Count);
        Assert.Equal(sent.Select(m => $"<{m.MessageId}>").Order(), emails.Select(e => (string)e["MessageIdentifier"]!).Order());
        foreach (var message in sent)
        {
            var email = Assert.Single(emails, e => (string?)e["MessageIdentifier"] == $"<{message.MessageId}>");
            var caseRecord = Assert.Single(cases, c => (string?)c["Id"] == (string?)email["ParentId"]);
            Assert.Equal(message.Subject, (string?)caseRecord["Subject"]);
            Assert.Equal("Email", (string?)caseRecord["Origin"]);
            Assert.Equal("alex@fabrikam.example", (string?)caseRecord["SuppliedEmail"]);
            Assert.Equal(contactId, (string?)caseRecord["ContactId"]);
            Assert.Equal(message.TextBody, (string?)caseRecord["Description"]);
            Assert.True((bool)email["Incoming"]!);

            var attached = files.Where(f => (string?)f["FirstPublishLocationId"] == (string?)caseRecord["Id"]).ToList();
            Assert.Equal(["invoice.pdf", "photo.png"], attached.Select(f => (string)f["PathOnClient"]!).Order());
            Assert.Equal(Invoice(message.Subject!), Convert.FromBase64String((string)attached.Single(f => (string?)f["PathOnClient"] == "invoice.pdf")["VersionData"]!));
        }
    }

    private static MimeMessage Send(ChannelTestHost host, EmulatorMailbox channel, int number)
    {
        var subject = $"Order {number} arrived damaged";
        var body = new BodyBuilder { TextBody = $"Order {number}: the box was crushed, photo attached." };
        body.Attachments.Add("invoice.pdf", Invoice(subject), new ContentType("application", "pdf"));
        body.Attachments.Add("photo.png", [0x89, 0x50, 0x4E, 0x47, (byte)number], new ContentType("image", "png"));
        var message = new MimeMessage { Subject = subject, Date = host.Time.GetUtcNow(), Body = body.ToMessageBody() };
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("fabrikam.example");
        message.From.Add(new MailboxAddress("Alex Customer", host.Customer.Address));
        message.To.Add(MailboxAddress.Parse(channel.Address));
        channel.Deliver(message);
        return message;
    }

    private static byte[] Invoice(string subject) => System.Text.Encoding.UTF8.GetBytes($"%PDF-1.4 invoice for {subject}");
}
