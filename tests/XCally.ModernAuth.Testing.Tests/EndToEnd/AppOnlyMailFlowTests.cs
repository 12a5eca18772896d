using MailKit;
using MailKit.Search;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

public class AppOnlyMailFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectSmtpThenImapAndPop3_AppOnly_MessageSentAndReadOnEveryProtocol()
    {
        await using var host = await EmulatorHost.StartAsync();
        var subject = $"Ticket {Guid.NewGuid():N}";

        await host.SendSupportToSalesAsync(subject, "Hello from the SDK.");

        using (var imap = await host.Connector.ConnectImapAsync(host.Sales, Ct))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite, Ct);
            var uids = await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject), Ct);
            var found = Assert.Single(uids);
            var read = await imap.Inbox.GetMessageAsync(found, Ct);
            Assert.Equal("Hello from the SDK.", read.TextBody?.Trim());
            await imap.DisconnectAsync(true, Ct);
        }

        using (var pop3 = await host.Connector.ConnectPop3Async(host.Sales, Ct))
        {
            Assert.Equal(1, pop3.Count);
            var read = await pop3.GetMessageAsync(0, Ct);
            Assert.Equal(subject, read.Subject);
            await pop3.DisconnectAsync(true, Ct);
        }

        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task GetAccessTokenAsync_AppOnly_ExchangeShapedTokenFromTheEmulator()
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);

        var first = await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);
        var second = await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Smtp, Ct);

        Assert.Equal(TokenSource.IdentityProvider, first.Source);
        Assert.Equal(TokenSource.Cache, second.Source);
        Assert.Equal(first.Token, second.Token);
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(first.Token);
        Assert.Equal("https://outlook.office365.com", jwt.Audiences.Single());
        Assert.Equal(host.Emulator.Tenant.TenantId, jwt.GetClaim("tid").Value);
        Assert.Contains(jwt.Claims, c => c.Type == "roles" && c.Value == EmulatorApplication.ImapAccessAsApp);
    }

    [Fact]
    public async Task ConnectImapAsync_TokenExpiredAtServerBeforeAuthenticate_OneRetryWithFreshTokenSucceeds()
    {
        await using var host = await EmulatorHost.StartAsync();
        var account = await host.AccountAsync(host.Support);
        var stale = await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);

        // The SDK still trusts its cached token; the servers' clock says it has expired.
        host.EmulatorTime.Advance(TimeSpan.FromHours(2));
        using var imap = await host.Connector.ConnectImapAsync(host.Support, Ct);

        Assert.True(imap.IsAuthenticated);
        Assert.Equal(2, host.Emulator.Identity.Counters.TokenRequests);
        var counts = host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap);
        Assert.Equal(1, counts.Failed);
        Assert.Equal(1, counts.Succeeded);
        var fresh = await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);
        Assert.NotEqual(stale.Token, fresh.Token);
    }

    [Fact]
    public async Task ConnectImapAsync_ProtocolLogging_TokenRedactedUserVisible()
    {
        var lines = new List<string>();
        await using var host = await EmulatorHost.StartAsync(builder => builder.ConfigureMailConnector(options =>
            options.ProtocolLoggerFactory = (_, _) => new ListProtocolLogger(lines)));
        var account = await host.AccountAsync(host.Support);

        using (var imap = await host.Connector.ConnectImapAsync(host.Support, Ct))
        {
            await imap.DisconnectAsync(true, Ct);
        }

        var token = await host.Tokens.GetAccessTokenAsync(account, MailProtocol.Imap, Ct);
        var transcript = string.Join('\n', lines);
        Assert.Contains("AUTHENTICATE XOAUTH2", transcript, StringComparison.Ordinal);
        Assert.Contains($"user={host.Support}", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"user={host.Support}\u0001auth=Bearer {token.Token}\u0001\u0001")), transcript, StringComparison.Ordinal);
    }

    private sealed class ListProtocolLogger(List<string> lines) : IProtocolLogger
    {
        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public void LogConnect(Uri uri) => lines.Add($"Connected to {uri}");

        public void LogClient(byte[] buffer, int offset, int count) => lines.Add("C: " + System.Text.Encoding.UTF8.GetString(buffer, offset, count));

        public void LogServer(byte[] buffer, int offset, int count) => lines.Add("S: " + System.Text.Encoding.UTF8.GetString(buffer, offset, count));

        public void Dispose()
        {
        }
    }
}
