using MailKit.Net.Imap;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// The emulator's Exchange-like per-mailbox connection limit, and a mailbox without permission among healthy ones: neither turns
/// into token requests that cannot help.
/// </summary>
public class MailboxLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAsync_FiftySessionsOverTheMailboxLimit_ExcessFailServerBusyWithoutTokenRequests()
    {
        await using var host = await EmulatorHost.StartAsync();
        var clients = new List<ImapClient>();
        var refusals = new List<ModernAuthException>();
        try
        {
            // Held open one after another, as a host that forgets to close its clients would.
            for (var i = 0; i < 50; i++)
            {
                try
                {
                    clients.Add(await host.Connector.ConnectImapAsync(host.Support, Ct));
                }
                catch (ModernAuthException ex)
                {
                    refusals.Add(ex);
                }
            }

            Assert.Equal(20, clients.Count);
            Assert.Equal(30, refusals.Count);
            Assert.All(refusals, ex =>
            {
                Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
                Assert.StartsWith("NO Request is throttled. Suggested Backoff Time: 30000 milliseconds", ex.ServerResponse, StringComparison.Ordinal);
                Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
                Assert.Contains("about 20 per mailbox", ex.Advice, StringComparison.Ordinal);
            });

            // One client-credentials request for the first session; none for the refusals.
            Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisconnectAsync(quit: true, Ct);
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task ConnectSmtpAsync_OverTheMailboxLimit_ServerBusyWithExchangeWords()
    {
        await using var host = await EmulatorHost.StartAsync(emulatorOptions: o => o.Mail.MaxSessionsPerMailbox = 1);
        using var held = await host.Connector.ConnectSmtpAsync(host.Support, Ct);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectSmtpAsync(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
        Assert.Equal("4.3.2", ex.ErrorCode);
        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
        await held.DisconnectAsync(quit: true, Ct);
    }

    [Fact]
    public async Task ConnectImapAsync_OneMailboxWithoutPermissionAmongTwenty_OnlyTheFirstRefusalsRetryAsksForAToken()
    {
        var names = Enumerable.Range(1, 20).Select(i => $"desk{i:00}").ToList();
        await using var host = await EmulatorHost.StartAsync(emulatorOptions: o =>
        {
            o.Mailboxes.Clear();
            foreach (var name in names)
            {
                o.Mailboxes.Add(name);
            }

            // Exchange Online answers a missing Add-MailboxPermission with "AUTHENTICATE failed", as for a bad token.
            o.Mail.RefuseAuthenticateWithoutFullAccess = true;
        });
        var mailboxes = host.Emulator.Mailboxes.Select(m => m.Address).Order(StringComparer.Ordinal).ToList();
        var broken = mailboxes[7];
        host.Emulator.Directory.FindMailbox(broken)!.RevokeFullAccess(host.Emulator.Application);

        // Three rounds: every mailbox connects, works, and disconnects; the broken one fails each time.
        var failures = new List<ModernAuthException>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var mailbox in mailboxes)
            {
                try
                {
                    using var client = await host.Connector.ConnectImapAsync(mailbox, Ct);
                    Assert.NotEqual(broken, mailbox);
                    await client.DisconnectAsync(quit: true, Ct);
                }
                catch (ModernAuthException ex) when (mailbox == broken)
                {
                    failures.Add(ex);
                }
            }
        }

        // The first token, then the one retry of the broken mailbox's first refusal: nothing more, whatever the rounds.
        Assert.Equal(2, host.Emulator.Identity.Counters.TokenRequests);
        Assert.Equal(3, failures.Count);
        Assert.All(failures, ex =>
        {
            Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
            Assert.Equal(broken, ex.AccountAddress);
            Assert.Contains($"Add-MailboxPermission -Identity {broken}", ex.Advice, StringComparison.Ordinal);
        });
        Assert.Contains("freshly obtained token was refused too", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("refused this same token before", failures[2].Message, StringComparison.Ordinal);

        // 19 healthy mailboxes x 3 rounds signed in; the broken one was refused twice in round one, once in each later round.
        var counts = host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap);
        Assert.Equal(57, counts.Succeeded);
        Assert.Equal(4, counts.Failed);
    }
}
