using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging;
using Moq;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class MailClientConnectorTests
{
    // Base64 of {"status":"401","schemes":"bearer","scope":"mail"}, Dovecot's SASL error challenge.
    private const string Pop3ErrorChallenge = "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAsync_TokenExpiredBetweenConnectAndAuthenticate_RetriesOnceWithFreshToken()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE XOAUTH2 ", ["{tag} NO AUTHENTICATE failed."]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("expired-token", "fresh-token");
        var connector = Connector(tokens, account);

        using var client = await connector.ConnectImapAsync(MailTestData.Address, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        var auths = server.ClientLines.Where(l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, auths.Count);
        Assert.Equal("user=alice@contoso.test\u0001auth=Bearer expired-token\u0001\u0001", MailTestData.DecodeLastArgument(auths[0]));
        Assert.EndsWith(" AUTHENTICATE XOAUTH2 " + MailTestData.XOAuth2(MailTestData.Address, "fresh-token"), auths[1], StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Exactly(2));
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, It.Is<AccessToken>(t => t.Token == "expired-token"), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.Is<AccessToken>(t => t.Token != "expired-token"), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task ConnectImapAsync_ServerHangsUpAfterRefusal_ReconnectsAndRetriesWithFreshToken()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["* BYE Session expired.", "{tag} NO AUTHENTICATE failed."], hangUp: true),
            MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("expired-token", "fresh-token");

        using var client = await Connector(tokens, account).ConnectImapAsync(account, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(2, server.Connections);
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, It.Is<AccessToken>(t => t.Token == "expired-token"), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ConnectImapAsync_ServerRefusesTwice_ThrowsWithServerTextAndAdvice()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("token-1", "token-2");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account, flow: AuthFlow.AppOnly).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Contains("AUTHENTICATE failed", ex.ServerResponse, StringComparison.Ordinal);
        Assert.Equal(MailTestData.Address, ex.AccountAddress);
        Assert.Equal(MailTestData.ProviderName, ex.CloudProviderName);
        Assert.Contains("New-ServicePrincipal -AppId 11111111-2222-3333-4444-555555555555", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("Enterprise application", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("IMAP.AccessAsApp", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("Delegated:", ex.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("token-", ex.ToString(), StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Exactly(2));
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, It.Is<AccessToken>(t => t.Token == "token-1"), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ConnectImapAsync_AuthenticatedButNotConnected_ThrowsAtConnectWithMailboxAdvice()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ STATUS ", ["{tag} BAD User is authenticated but not connected."], once: false));
        var account = MailTestData.Account(server.Port, userName: "shared@contoso.test");
        var tokens = MailTestData.Tokens("token-1");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account, flow: AuthFlow.Delegated).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Equal("BAD User is authenticated but not connected.", ex.ServerResponse);
        Assert.Contains("FullAccess", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("shared mailbox's address", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("shared@contoso.test", ex.Message, StringComparison.Ordinal);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_ServerOffersOnlyOAuthBearer_SendsRfc7628Payload()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap("IMAP4rev1 SASL-IR AUTH=OAUTHBEARER AUTH=PLAIN"));
        var account = MailTestData.Account(server.Port);

        using var client = await Connector(MailTestData.Tokens("bearer-token"), account).ConnectImapAsync(account, Ct);

        var auth = Assert.Single(server.ClientLines, l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal));
        Assert.Contains(" AUTHENTICATE OAUTHBEARER ", auth, StringComparison.Ordinal);
        // MailKit fills host= and port= from the URI it gives the mechanism (an IMAP URI without an explicit port gives -1).
        Assert.Matches($"^n,a={MailTestData.Address},\u0001host=127\\.0\\.0\\.1\u0001port=-?\\d+\u0001auth=Bearer bearer-token\u0001\u0001$", MailTestData.DecodeLastArgument(auth));
    }

    [Fact]
    public async Task ConnectImapAsync_ServerWithoutOAuthMechanisms_ThrowsUnsupportedServerBeforeRequestingToken()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap("IMAP4rev1 AUTH=PLAIN AUTH=LOGIN"));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.UnsupportedServer, ex.Category);
        Assert.Contains("it offers LOGIN, PLAIN", ex.Message, StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.DoesNotContain(server.ClientLines, l => l.Contains("AUTHENTICATE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectImapAsync_ClearTextEndpoint_RefusedBeforeConnectingOrRequestingToken()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port, imapTls: MailTlsMode.None);
        var tokens = MailTestData.Tokens();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
        Assert.Contains("TlsMode", ex.Advice, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_ClearTextOnLoopbackAllowedForTests_Authenticates()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port, imapTls: MailTlsMode.None);

        using var client = await Connector(MailTestData.Tokens("token-1"), account, o => o.AllowClearTextOnLoopback = true).ConnectImapAsync(account, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.False(client.IsSecure);
    }

    [Fact]
    public async Task ConnectImapAsync_ClearTextOnNonLoopbackHost_RefusedEvenWhenLoopbackAllowed()
    {
        var account = MailTestData.Account(993, imapTls: MailTlsMode.None, host: "imap.contoso.test");
        var tokens = MailTestData.Tokens();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account, o => o.AllowClearTextOnLoopback = true).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
    }

    [Fact]
    public async Task ConnectImapAsync_UnknownAddress_ThrowsInvalidConfigurationNamingAddress()
    {
        var connector = Connector(MailTestData.Tokens(), MailTestData.Account(993));

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => connector.ConnectImapAsync("bob@contoso.test", Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("bob@contoso.test", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmailAccounts", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectPop3Async_ProtocolDisabledForAccount_ThrowsInvalidConfigurationNamingSetting()
    {
        var account = MailTestData.Account(995, pop3: false);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(MailTestData.Tokens(), account).ConnectPop3Async(MailTestData.Address, Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("Pop3 is disabled for email account alice@contoso.test", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pop3:Enabled", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectPop3Async_TokenExpired_RetriesOnceWithFreshToken()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, ["-ERR Authentication failure: unknown user name or bad password."]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("expired-token", "fresh-token");

        using var client = await Connector(tokens, account).ConnectPop3Async(account, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(2, server.ClientLines.Count(l => l == "AUTH XOAUTH2"));
        var responses = server.ClientLines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, MailDialogues.SaslResponse)).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Equal("user=alice@contoso.test\u0001auth=Bearer fresh-token\u0001\u0001", MailTestData.DecodeLastArgument(responses[1]));
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Pop3, It.Is<AccessToken>(t => t.Token == "expired-token"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ConnectPop3Async_ServerRefusesTwice_ThrowsMailboxPermissionDenied()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, ["-ERR Authentication failure: unknown user name or bad password."], once: false));
        var account = MailTestData.Account(server.Port);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(MailTestData.Tokens("t1", "t2"), account).ConnectPop3Async(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Contains("Authentication failure", ex.ServerResponse, StringComparison.Ordinal);
        Assert.Contains("POP.AccessAsApp", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("POP.AccessAsUser.All", ex.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectPop3Async_ServerAnswersWithSaslErrorChallenge_RetriesOnceOnNewConnection()
    {
        // Dovecot refuses a token with an RFC 7628 error challenge, which MailKit's POP3 client does not answer (Pop3ProtocolException).
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, [Pop3ErrorChallenge]),
            MailDialogues.Pop3());
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("expired-token", "fresh-token");

        using var client = await Connector(tokens, account).ConnectPop3Async(account, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(2, server.Connections);
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Pop3, It.Is<AccessToken>(t => t.Token == "expired-token"), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Pop3, It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.DoesNotContain("QUIT", server.ClientLines.Take(server.ClientLines.Count - 1));
    }

    [Fact]
    public async Task ConnectPop3Async_ServerAnswersTwiceWithSaslErrorChallenge_ThrowsMailboxPermissionDeniedWithDecodedChallenge()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, [Pop3ErrorChallenge]),
            MailDialogues.Pop3().First(MailDialogues.SaslResponse, [Pop3ErrorChallenge]));
        var account = MailTestData.Account(server.Port);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(MailTestData.Tokens("t1", "t2"), account).ConnectPop3Async(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Equal("+ {\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}", ex.ServerResponse);
        Assert.IsType<MailKit.Net.Pop3.Pop3ProtocolException>(ex.InnerException);
        Assert.Contains("also with a freshly obtained token", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task ConnectSmtpAsync_StartTlsThenXOAuth2_AuthenticatesOverTls()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Smtp());
        var account = MailTestData.Account(server.Port);

        using var client = await Connector(MailTestData.Tokens("smtp-token"), account).ConnectSmtpAsync(MailTestData.Address, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        var auth = Assert.Single(server.ClientLines, l => l.StartsWith("AUTH ", StringComparison.Ordinal));
        Assert.Equal("AUTH XOAUTH2 " + MailTestData.XOAuth2(MailTestData.Address, "smtp-token"), auth);
    }

    [Fact]
    public async Task ConnectSmtpAsync_ServerWithoutStartTls_ThrowsInsecureConnectionBeforeAuth()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Smtp(offerStartTls: false));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account).ConnectSmtpAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
        Assert.DoesNotContain(server.ClientLines, l => l.StartsWith("AUTH", StringComparison.Ordinal));
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectSmtpAsync_Refused573Twice_ThrowsWithServicePrincipalAdvice()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: false,
            MailDialogues.Smtp().First("^AUTH XOAUTH2 ", ["535 5.7.3 Authentication unsuccessful [SN4PR0601CA0005.namprd06.prod.outlook.com]"], once: false));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("t1", "t2");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account, flow: AuthFlow.AppOnly).ConnectSmtpAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.StartsWith("535 5.7.3 Authentication unsuccessful", ex.ServerResponse, StringComparison.Ordinal);
        Assert.Equal("5.7.3", ex.ErrorCode);
        Assert.Contains("SMTP.SendAsApp", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("Add-MailboxPermission", ex.Advice, StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Smtp, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ConnectSmtpAsync_SmtpAuthDisabled_ThrowsProtocolDisabledWithoutRetry()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: false,
            MailDialogues.Smtp().First("^AUTH XOAUTH2 ", ["535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."], once: false));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("t1", "t2");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => Connector(tokens, account).ConnectSmtpAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.ProtocolDisabled, ex.Category);
        Assert.Equal("5.7.139", ex.ErrorCode);
        Assert.Contains("Set-CASMailbox -Identity alice@contoso.test -SmtpClientAuthenticationDisabled $false", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("Set-TransportConfig", ex.Advice, StringComparison.Ordinal);
        Assert.Single(server.ClientLines, l => l.StartsWith("AUTH", StringComparison.Ordinal));
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_ProtocolLoggerFactory_LogsUserButNeverTheToken()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ AUTHENTICATE XOAUTH2 ", ["{tag} NO AUTHENTICATE failed."]));
        var account = MailTestData.Account(server.Port);
        using var log = new MemoryStream();
        var connector = Connector(
            MailTestData.Tokens("secret-token-1", "secret-token-2"),
            account,
            o => o.ProtocolLoggerFactory = (_, _) => new ProtocolLogger(log, leaveOpen: true));

        using (var client = await connector.ConnectImapAsync(account, Ct))
        {
            await client.DisconnectAsync(true, Ct);
        }

        var text = System.Text.Encoding.UTF8.GetString(log.ToArray());
        Assert.Contains("AUTHENTICATE XOAUTH2 user=alice@contoso.test^Aauth=Bearer ********^A^A", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain(MailTestData.XOAuth2(MailTestData.Address, "secret-token-2")[..24], text, StringComparison.Ordinal);
        Assert.Contains("NO AUTHENTICATE failed.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectSmtpAsync_LogProtocolToLogger_WritesRedactedTranscriptAtTrace()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Smtp());
        var account = MailTestData.Account(server.Port);
        var collector = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(collector)));
        var connector = new MailClientConnector(
            MailTestData.Accounts(account).Object,
            MailTestData.Tokens("smtp-secret").Object,
            MailTestData.Options(o => o.LogProtocol = true),
            loggerFactory: loggerFactory);

        using (var client = await connector.ConnectSmtpAsync(account, Ct))
        {
            await client.DisconnectAsync(true, Ct);
        }

        var lines = collector.GetSnapshot().Where(r => r.Category == MailClientConnector.ProtocolLoggerCategory).Select(r => r.Message).ToList();
        Assert.Contains(lines, l => l.EndsWith("C: AUTH XOAUTH2 user=alice@contoso.test^Aauth=Bearer ********^A^A", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("S: 235 2.7.0 Authentication successful", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("smtp-secret", StringComparison.Ordinal));
    }

    internal static MailClientConnector Connector(Mock<ITokenProvider> tokens, EmailAccount account, Action<MailConnectorOptions>? configure = null, AuthFlow? flow = null) =>
        new(MailTestData.Accounts(account).Object, tokens.Object, MailTestData.Options(configure), flow is { } f ? MailTestData.Providers(f).Object : null);
}
