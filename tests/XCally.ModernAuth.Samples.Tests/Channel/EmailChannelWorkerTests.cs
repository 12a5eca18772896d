using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Samples.Tests.Infrastructure;
using XCally.ModernAuth.Samples.Worker;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Tests.Channel;

/// <summary>The whole channel, in a real host against the emulator, on a fake clock.</summary>
public class EmailChannelWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_ThreeAccountsForHoursAcrossTokenExpiryAndDisconnects_EveryMessageHandledAndAcknowledgedOnce()
    {
        // Exchange Online keeps an IMAP session past its token's expiry only for so long; this server ends every session after an
        // hour, so sessions are also dropped while the tokens they signed in with run out.
        await using var host = await ChannelTestHost.StartAsync(configureEmulator: o => o.Mail.MaxSessionAge = TimeSpan.FromHours(1));
        var started = host.Time.GetUtcNow();
        var sent = new List<MimeMessage>();
        await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), "every account idle");

        for (var round = 1; round <= 6; round++)
        {
            foreach (var channel in host.Channels)
            {
                sent.Add(host.Send(channel, $"Round {round}, first question to {channel.Address}"));
                sent.Add(host.Send(channel, $"Round {round}, second question to {channel.Address}"));
            }

            await host.AdvanceUntilAsync(() => host.Acknowledged(sent), $"round {round}: acknowledgements while connected");
            await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), $"round {round}: every account idle");

            // Forty minutes in five-minute steps: IDLE restarts, the server's IDLE timeout and session age, token refreshes.
            for (var step = 0; step < 8; step++)
            {
                host.Time.Advance(TimeSpan.FromMinutes(5));
                await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), $"round {round}: idle again");
            }

            if (round % 2 == 1)
            {
                // The back-off waits on the fake clock, so while it stands still every account stays disconnected.
                host.Emulator.Mail.DisconnectAll();
                await host.WaitUntilAsync(() => host.AllHaveStatus(AccountStatus.Reconnecting), $"round {round}: every account disconnected");
                foreach (var channel in host.Channels)
                {
                    sent.Add(host.Send(channel, $"Round {round}, written while disconnected to {channel.Address}"));
                }

                await host.AdvanceUntilAsync(() => host.Acknowledged(sent), $"round {round}: acknowledgements after reconnecting");
            }
        }

        // Each account signed in again after each of the three forced disconnects, and more often as sessions aged out.
        Assert.True(host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Succeeded >= 3 * (1 + 3), host.Describe());
        Assert.True(host.Time.GetUtcNow() - started > TimeSpan.FromHours(4));
        Assert.True(host.Emulator.Identity.Counters.TokenRequests >= 4, $"Only {host.Emulator.Identity.Counters.TokenRequests} tokens were issued.");
        Assert.Equal(sent.Count, host.Handled.Invocations.Count);
        Assert.All(sent, m => Assert.Equal(1, host.Handled.InvocationsOf(m)));
        Assert.All(sent, m => Assert.Equal(1, host.Handled.CompletionsOf(m)));
        AssertAcknowledgedOnce(host, sent);
        await AssertNothingUnreadAsync(host);

        await host.StopAsync();
        Assert.True(host.AllHaveStatus(AccountStatus.Stopped), host.Describe());
        Assert.Equal(0, host.Emulator.Mail.FaultedSessions);
    }

    [Fact]
    public async Task ExecuteAsync_OneAccountWithoutMailboxPermission_OthersUnaffectedAndItCatchesUpOnceGranted()
    {
        await using var host = await ChannelTestHost.StartAsync(arrange: e => e.Directory.FindMailbox($"billing@{e.Tenant.Domain}")!.RevokeFullAccess(e.Application));
        var billing = host.Channel("billing");
        var others = new[] { host.Send(host.Channel("support"), "Question to support"), host.Send(host.Channel("sales"), "Question to sales") };
        var waiting = host.Send(billing, "Question to billing");

        // A permission refusal cannot be fixed by reconnecting: the IDLE session stops, and the worker's supervisor restarts the
        // account on its own, slower schedule.
        // The status board is updated before the failure is logged: wait for both.
        await host.AdvanceUntilAsync(
            () => host.Acknowledged(others) && host.HasStatus("billing", AccountStatus.Failed) && LoggedPermissionFailure(host),
            "support and sales acknowledged while billing is refused, and the refusal logged");

        var failure = host.Board.Get(billing.Address)!.Failure!;
        Assert.Equal(nameof(ModernAuthErrorCategory.MailboxPermissionDenied), failure.Category);
        Assert.Contains("Add-MailboxPermission", failure.Advice, StringComparison.Ordinal);
        Assert.True(LoggedPermissionFailure(host));
        Assert.Equal(0, host.Handled.InvocationsOf(waiting));

        billing.GrantFullAccess(host.Emulator.Application);
        await host.AdvanceUntilAsync(() => host.Acknowledged([waiting]), "billing acknowledged once granted", TimeSpan.FromSeconds(10));

        AssertAcknowledgedOnce(host, [.. others, waiting]);
        Assert.All(others.Append(waiting), m => Assert.Equal(1, host.Handled.InvocationsOf(m)));
    }

    [Fact]
    public async Task ExecuteAsync_SmtpAuthDisabledForOneAccount_ItsRepliesWaitWithAdviceOthersUnaffected()
    {
        await using var host = await ChannelTestHost.StartAsync(arrange: e => e.Directory.FindMailbox($"sales@{e.Tenant.Domain}")!.SmtpAuthEnabled = false);
        var sales = host.Channel("sales");
        var others = new[] { host.Send(host.Channel("support"), "Question to support"), host.Send(host.Channel("billing"), "Question to billing") };
        var waiting = host.Send(sales, "Question to sales");

        await host.AdvanceUntilAsync(
            () => host.Acknowledged(others) && host.Board.Get(sales.Address)?.Failure?.Category == nameof(ModernAuthErrorCategory.ProtocolDisabled),
            "support and billing acknowledged while sales cannot send");

        Assert.Contains("SmtpClientAuthenticationDisabled", host.Board.Get(sales.Address)!.Failure!.Advice, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled.CompletionsOf(waiting));

        sales.SmtpAuthEnabled = true;
        await host.AdvanceUntilAsync(() => host.Acknowledged([waiting]), "sales acknowledged once SMTP AUTH is enabled", TimeSpan.FromSeconds(10));

        AssertAcknowledgedOnce(host, [.. others, waiting]);
        Assert.All(others.Append(waiting), m => Assert.Equal(1, host.Handled.CompletionsOf(m)));
    }

    [Fact]
    public async Task ExecuteAsync_RestartedWithJsonFileState_ResumesWithoutRepeating()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"email-channel-{Guid.NewGuid():N}.json");
        try
        {
            await using var host = await ChannelTestHost.StartAsync(configure: services => services.AddJsonFileChannelState(stateFile));
            var sent = host.Channels.Select(c => host.Send(c, $"Before the restart, to {c.Address}")).ToList();
            await host.AdvanceUntilAsync(() => host.Acknowledged(sent), "acknowledgements before the restart");

            await host.StopAsync();
            sent.AddRange(host.Channels.Select(c => host.Send(c, $"While the worker was down, to {c.Address}")));
            await host.RestartAsync();
            await host.AdvanceUntilAsync(() => host.Acknowledged(sent), "acknowledgements after the restart");

            Assert.All(sent, m => Assert.Equal(1, host.Handled.InvocationsOf(m)));
            AssertAcknowledgedOnce(host, sent);
            await host.StopAsync();
            using var store = new JsonFileChannelStateStore(stateFile);
            foreach (var channel in host.Channels)
            {
                Assert.Equal(2u, (await store.GetAsync(channel.Address, Ct))?.HighestHandledUid);
            }
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    [Fact]
    public async Task ExecuteAsync_SharedSupportMailboxWithAnAgentsSignIn_EachMessageHandledOnceAndEveryReplyFromSupport()
    {
        await using var host = await ChannelTestHost.StartSharedMailboxAsync();
        var support = host.Channel(SharedMailboxDemo.SharedLocalPart);
        var agent = $"{SharedMailboxDemo.AgentLocalPart}@{host.Emulator.Tenant.Domain}";
        await host.AdvanceUntilAsync(() => host.HasStatus(SharedMailboxDemo.SharedLocalPart, AccountStatus.Idle), "support idle");
        var sent = new List<MimeMessage>();

        for (var round = 1; round <= 3; round++)
        {
            sent.Add(host.Send(support, $"Round {round}, first question"));
            sent.Add(host.Send(support, $"Round {round}, second question"));
            await host.AdvanceUntilAsync(() => host.Acknowledged(sent), $"round {round}: acknowledgements while connected");

            host.Emulator.Mail.DisconnectAll();
            await host.WaitUntilAsync(() => host.HasStatus(SharedMailboxDemo.SharedLocalPart, AccountStatus.Reconnecting), $"round {round}: disconnected");
            sent.Add(host.Send(support, $"Round {round}, written while disconnected"));
            await host.AdvanceUntilAsync(() => host.Acknowledged(sent), $"round {round}: acknowledgements after reconnecting");
        }

        // Each message handed over once; each reply from support@ itself (Send As: no Sender), none from the agent.
        Assert.Equal(sent.Count, host.Handled.Invocations.Count);
        Assert.All(sent, m => Assert.Equal(1, host.Handled.InvocationsOf(m)));
        AssertAcknowledgedOnce(host, sent);
        Assert.All(host.Customer.Messages, reply => Assert.Equal(support.Address, reply.From.Mailboxes.Single().Address));
        Assert.All(host.Customer.Messages, reply => Assert.Null(reply.Sender));
        Assert.Equal(sent.Count, support.GetMessages(EmulatorMailbox.SentItems).Count);

        // One sign-in of the agent serves the shared mailbox; the agent's own mailbox is not a channel.
        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequestsForGrantType("authorization_code"));
        Assert.Null(host.Board.Get(agent));
        Assert.True(host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Succeeded >= sent.Count, host.Describe());
        Assert.Equal(0, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
    }

    [Fact]
    public async Task StopAsync_WhileIdling_EveryAccountStopsWithoutErrors()
    {
        await using var host = await ChannelTestHost.StartAsync();
        await host.AdvanceUntilAsync(() => host.AllHaveStatus(AccountStatus.Idle), "every account idle");

        await host.StopAsync();

        Assert.True(host.AllHaveStatus(AccountStatus.Stopped), host.Describe());
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(0, host.Emulator.Mail.FaultedSessions);
    }

    private static void AssertAcknowledgedOnce(ChannelTestHost host, IReadOnlyCollection<MimeMessage> sent)
    {
        var acknowledgements = host.Customer.Messages;
        Assert.Equal(sent.Count, acknowledgements.Count);
        foreach (var original in sent)
        {
            var reply = Assert.Single(acknowledgements, a => a.InReplyTo == original.MessageId);
            Assert.Equal("Re: " + original.Subject, reply.Subject);
            Assert.Equal(original.To.Mailboxes.Single().Address, reply.From.Mailboxes.Single().Address);
            Assert.Equal(host.Customer.Address, reply.To.Mailboxes.Single().Address);
            Assert.Contains(original.MessageId, reply.References);
        }
    }

    private static async Task AssertNothingUnreadAsync(ChannelTestHost host)
    {
        var connector = host.Services.GetRequiredService<IMailClientConnector>();
        foreach (var channel in host.Channels)
        {
            using var imap = await connector.ConnectImapAsync(channel.Address, Ct);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
            Assert.Empty(await imap.Inbox.SearchAsync(SearchQuery.NotSeen, Ct));
            await imap.DisconnectAsync(true, Ct);
        }
    }

    private static bool LoggedPermissionFailure(ChannelTestHost host) =>
        host.Logs.GetSnapshot().Any(r => r.Message.Contains("MailboxPermissionDenied", StringComparison.Ordinal) && r.Message.Contains("Add-MailboxPermission", StringComparison.Ordinal));
}
