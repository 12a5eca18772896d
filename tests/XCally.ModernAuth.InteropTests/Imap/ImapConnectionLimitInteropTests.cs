using MailKit.Net.Imap;
using MailKit.Net.Pop3;

namespace XCally.ModernAuth.InteropTests.Imap;

/// <summary>
/// Dovecot's per-user-and-address connection limit (<c>mail_max_userip_connections</c>, 10 by default) met through the SDK: the
/// sessions over the limit fail as <see cref="ModernAuthErrorCategory.ServerBusy"/> with Dovecot's own words, and the token that
/// the other sessions use is neither dropped nor replaced.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class ImapConnectionLimitInteropTests(MailStackFixture fixture)
{
    private const int DovecotLimit = 10;
    private const string LimitText = "Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)";

    [Fact(Timeout = 180_000)]
    public async Task Connect_FiftySessionsHeldOpen_ExcessFailServerBusyWithoutTokenRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("imap-held-sessions");
        await using var host = await fixture.StartSignedInHostAsync(mailbox);
        var tokenRequestsBefore = fixture.Emulator.Identity.Counters.TokenRequests;
        var clients = new List<ImapClient>();
        var refusals = new List<ModernAuthException>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                try
                {
                    clients.Add(await host.Connector.ConnectImapAsync(mailbox, ct));
                }
                catch (ModernAuthException ex)
                {
                    refusals.Add(ex);
                }
            }

            Assert.Equal(DovecotLimit, clients.Count);
            Assert.Equal(50 - DovecotLimit, refusals.Count);
            Assert.All(refusals, ex =>
            {
                Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
                Assert.Equal("NO [LIMIT] " + LimitText, ex.ServerResponse);
                Assert.Contains("mail_max_userip_connections", ex.Advice, StringComparison.Ordinal);
            });

            // The sign-in's token served all 50 attempts: no token request, no refresh, nothing invalidated.
            Assert.Equal(tokenRequestsBefore, fixture.Emulator.Identity.Counters.TokenRequests);
            Assert.Equal(1, host.AuthorizationCodeRedemptions);
            Assert.Equal(0, host.RefreshTokenRedemptions);
            await fixture.AssertDovecotLoggedAsync(mailbox, "Maximum number of connections from user+IP exceeded");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisconnectAsync(quit: true, ct);
                client.Dispose();
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task ConnectPop3_SessionsOverTheLimit_ServerBusyWithDovecotsWords()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("pop3-held-sessions");
        await using var host = await fixture.StartSignedInHostAsync(mailbox);
        var tokenRequestsBefore = fixture.Emulator.Identity.Counters.TokenRequests;
        var clients = new List<Pop3Client>();
        ModernAuthException? refusal = null;
        try
        {
            while (refusal is null && clients.Count <= DovecotLimit)
            {
                try
                {
                    clients.Add(await host.Connector.ConnectPop3Async(mailbox, ct));
                }
                catch (ModernAuthException ex)
                {
                    refusal = ex;
                }
            }

            Assert.NotNull(refusal);
            Assert.Equal(ModernAuthErrorCategory.ServerBusy, refusal.Category);
            Assert.Contains("mail_max_userip_connections", refusal.ServerResponse, StringComparison.Ordinal);
            Assert.Equal(tokenRequestsBefore, fixture.Emulator.Identity.Counters.TokenRequests);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisconnectAsync(quit: true, ct);
                client.Dispose();
            }
        }
    }
}
