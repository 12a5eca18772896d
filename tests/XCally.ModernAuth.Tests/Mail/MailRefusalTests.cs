using Moq;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

/// <summary>
/// What the connector does with each kind of refusal, on the scripted TLS server: limits are not token refusals, a token is
/// dropped at most once, a mailbox that refused a fresh token asks for no more, an expired token is never sent, and the
/// token's claims explain a refusal.
/// </summary>
public class MailRefusalTests
{
    private const string DovecotLimit = "NO [LIMIT] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAsync_DovecotConnectionLimit_ThrowsServerBusyWithoutTouchingTheToken()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} " + DovecotLimit]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("good-token");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.AppOnly).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
        Assert.Equal(DovecotLimit, ex.ServerResponse);
        Assert.Contains("mail_max_userip_connections", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("about 20 per mailbox", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("New-ServicePrincipal", ex.Advice, StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Single(server.ClientLines, l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectImapAsync_ExchangeThrottling_ThrowsServerBusyWithRetryAfter()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO Request is throttled. Suggested Backoff Time: 178755 milliseconds"]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("good-token");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
        Assert.Equal(TimeSpan.FromMilliseconds(178755), ex.RetryAfter);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectPop3Async_DovecotInUse_ThrowsServerBusy()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, ["-ERR [IN-USE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)"]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("good-token");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account).ConnectPop3Async(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.ServerBusy, ex.Category);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_MailboxRefusedAFreshTokenBefore_ThrowsPermissionDeniedWithoutAnotherTokenRequest()
    {
        // The server refuses this mailbox whatever the token: a missing Add-MailboxPermission.
        var refuse = () => MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false);
        await using var server = ScriptedMailServer.Start(implicitTls: true, refuse(), refuse());
        var account = MailTestData.Account(server.Port);
        var stale = MailTestData.Token("token-1");
        var fresh = MailTestData.Token("token-2");

        // token-1, then its replacement token-2, then (second connect) the still-cached token-2.
        var tokens = MailTestData.TokenSequence(stale, fresh, fresh);
        var connector = MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.AppOnly);

        var first = await Assert.ThrowsAsync<ModernAuthException>(() => connector.ConnectImapAsync(account, Ct));
        var second = await Assert.ThrowsAsync<ModernAuthException>(() => connector.ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, first.Category);
        Assert.Contains("freshly obtained token was refused too", first.Message, StringComparison.Ordinal);
        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, second.Category);
        Assert.Contains("refused this same token before", second.Message, StringComparison.Ordinal);
        Assert.Contains("Add-MailboxPermission -Identity alice@contoso.test", second.Advice, StringComparison.Ordinal);

        // One invalidation in all (token-1's first refusal); token-2, which the other mailboxes use, is never dropped.
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, stale, It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Exactly(3));
        Assert.Equal(3, server.ClientLines.Count(l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConnectImapAsync_TokenAlreadyDroppedForAnotherMailbox_RetriesWithCurrentTokenWithoutDroppingAgain()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."]),
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."]));
        var alice = MailTestData.Account(server.Port);
        var bob = new EmailAccount("bob@contoso.test", "bob@contoso.test", MailTestData.ProviderName, alice.Imap, alice.Pop3, alice.Smtp);
        var revoked = MailTestData.Token("revoked");
        var replacement = MailTestData.Token("replacement");

        // Both mailboxes were handed the revoked token; alice's refusal drops it, bob's refusal finds it dropped already.
        var tokens = MailTestData.TokenSequence(revoked, replacement, revoked, replacement);
        var connector = new XCally.ModernAuth.Internal.MailClientConnector(
            MailTestData.Accounts(alice, bob).Object, tokens.Object, MailTestData.Options(), MailTestData.Providers(AuthFlow.AppOnly).Object);

        using var first = await connector.ConnectImapAsync(alice, Ct);
        using var second = await connector.ConnectImapAsync(bob, Ct);

        Assert.True(second.IsAuthenticated);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ConnectImapAsync_HostTokenExpired_RefusedBeforeSendingWithExpiredInMessage()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);
        var expiredAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var expired = new AccessToken(MailTestData.Jwt(new { aud = "https://outlook.office365.com", exp = expiredAt.ToUnixTimeSeconds() }), expiredAt, ["https://outlook.office365.com/.default"], TokenSource.Cache);
        var tokens = MailTestData.TokenSequence(expired, expired);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.TokenExpired, ex.Category);
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
        Assert.Contains("5 min ago", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.ClientLines, l => l.Contains("AUTHENTICATE", StringComparison.Ordinal));
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, expired, It.IsAny<CancellationToken>()), Times.Once);
        Assert.DoesNotContain(expired.Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_TokenWhoseExpClaimPassed_NotSentEvenIfExpiresOnSaysValid()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);
        var stale = new AccessToken(MailTestData.Jwt(new { exp = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds() }), DateTimeOffset.UtcNow.AddHours(1), ["https://outlook.office365.com/.default"], TokenSource.Cache);
        var tokens = MailTestData.TokenSequence(stale, MailTestData.Token("valid-token"));

        using var client = await MailClientConnectorTests.Connector(tokens, account).ConnectImapAsync(account, Ct);

        var auth = Assert.Single(server.ClientLines, l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal));
        Assert.EndsWith(MailTestData.XOAuth2(MailTestData.Address, "valid-token"), auth, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_RefusedGraphTokenWithoutRole_AdviceNamesAudienceAndMissingRole()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false));
        var account = MailTestData.Account(server.Port);
        var claims = new
        {
            aud = "https://graph.microsoft.com",
            tid = "99999999-8888-7777-6666-555555555555",
            oid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        };
        var tokens = MailTestData.TokenSequence(
            new AccessToken(MailTestData.Jwt(claims), DateTimeOffset.UtcNow.AddHours(1), ["https://graph.microsoft.com/.default"], TokenSource.Cache),
            new AccessToken(MailTestData.Jwt(new { claims.aud, claims.tid, claims.oid, claims.exp, uti = 2 }), DateTimeOffset.UtcNow.AddHours(1), ["https://graph.microsoft.com/.default"], TokenSource.IdentityProvider));

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.AppOnly).ConnectImapAsync(account, Ct));

        Assert.StartsWith("The token's claims:", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("audience (aud) is https://graph.microsoft.com (Microsoft Graph), not Exchange Online", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("https://outlook.office365.com/.default", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("no IMAP.AccessAsApp role", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("admin consent", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("oid) is aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_RefusedDelegatedTokenOfAnotherUser_AdviceNamesTheTokensUser()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false));
        var account = MailTestData.Account(server.Port);
        AccessToken Mallory(int n) => new(
            MailTestData.Jwt(new { aud = "https://outlook.office.com", upn = "mallory@contoso.test", scp = "SMTP.Send", uti = n }),
            DateTimeOffset.UtcNow.AddHours(1),
            ["https://outlook.office.com/IMAP.AccessAsUser.All"],
            TokenSource.Cache);
        var tokens = MailTestData.TokenSequence(Mallory(1), Mallory(2));

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.Delegated).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Contains("it belongs to mallory@contoso.test, not to alice@contoso.test", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("without IMAP.AccessAsUser.All", ex.Advice, StringComparison.Ordinal);
    }
}
