using XCally.ModernAuth.Graph.Tests.Infrastructure;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Graph.Tests.EndToEnd;

/// <summary>Transport Auto: SMTP while it works, Graph for sending from the first 535 5.7.139 on, per account.</summary>
public sealed class AutoTransportTests
{
    [Fact]
    public async Task SendAsync_SmtpAuthDisabled_FallsBackToGraphOncePerAccount()
    {
        await using var host = await GraphTestHost.StartAsync(MailTransport.Auto);
        var support = host.Emulator.Mailboxes.Single(m => m.Address == host.Support);
        support.SmtpAuthEnabled = false;
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        for (var i = 0; i < 3; i++)
        {
            await transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, $"auto {i}"), TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal(3, host.Emulator.Mailboxes.Single(m => m.Address == host.Sales).Messages.Count);
        Assert.Equal(1, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
        Assert.Single(host.Logs.GetSnapshot(), record => record.Message.Contains("sends through Microsoft Graph from now on", StringComparison.Ordinal));
        Assert.Contains("Microsoft Graph for sending", transport.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SmtpAuthEnabled_SendsOverSmtpAndReadsOverImap()
    {
        await using var host = await GraphTestHost.StartAsync(MailTransport.Auto);
        var transport = await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken);

        await transport.SendAsync(GraphTestHost.Message(host.Support, host.Sales, "over SMTP"), TestContext.Current.CancellationToken);
        var sales = await host.Transports.GetAsync(host.Sales, TestContext.Current.CancellationToken);
        var batch = await sales.ReadNewAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Equal("over SMTP", Assert.Single(batch.Messages).Message.Subject);
        Assert.Equal(MailTransport.Auto, transport.Kind);
    }

    [Fact]
    public async Task SendAsync_OtherAccountStillOnSmtp_AfterOneFellBack()
    {
        await using var host = await GraphTestHost.StartAsync(MailTransport.Auto);
        host.Emulator.Mailboxes.Single(m => m.Address == host.Support).SmtpAuthEnabled = false;

        await (await host.Transports.GetAsync(host.Support, TestContext.Current.CancellationToken)).SendAsync(GraphTestHost.Message(host.Support, host.Sales, "via Graph"), TestContext.Current.CancellationToken);
        await (await host.Transports.GetAsync(host.Sales, TestContext.Current.CancellationToken)).SendAsync(GraphTestHost.Message(host.Sales, host.Support, "via SMTP"), TestContext.Current.CancellationToken);

        Assert.Equal(1, host.Emulator.Graph.RequestCount("sendMail"));
        Assert.Contains(host.Emulator.Mailboxes.Single(m => m.Address == host.Support).Messages, m => m.Subject == "via SMTP");
    }
}
