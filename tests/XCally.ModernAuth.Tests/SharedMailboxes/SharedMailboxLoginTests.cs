using Moq;
using XCally.ModernAuth.Tests.Mail;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.SharedMailboxes;

/// <summary>
/// A shared mailbox's logins through the connector, on the scripted TLS server: IMAP names the shared mailbox, SMTP the agent
/// whose token it is; a sound agent's token refused for the mailbox means no Full Access, reported without another token request.
/// </summary>
public class SharedMailboxLoginTests
{
    private const string Support = "support@contoso.test";
    private const string Agent = "agent@contoso.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAndSmtp_SharedAccount_ImapLogsInToTheMailboxSmtpAsTheAgent()
    {
        await using var imapServer = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        await using var smtpServer = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Smtp());
        var account = Shared(imapServer.Port, smtpServer.Port);
        var tokens = MailTestData.TokenSequence(AgentToken(1), AgentToken(1));
        var connector = MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.Delegated);

        using (await connector.ConnectImapAsync(account, Ct))
        {
        }

        using (await connector.ConnectSmtpAsync(account, Ct))
        {
        }

        var imapLogin = MailTestData.DecodeLastArgument(Assert.Single(imapServer.ClientLines, l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal)));
        var smtpLogin = MailTestData.DecodeLastArgument(Assert.Single(smtpServer.ClientLines, l => l.StartsWith("AUTH ", StringComparison.Ordinal)));
        Assert.StartsWith($"user={Support}\u0001auth=Bearer ", imapLogin, StringComparison.Ordinal);
        Assert.StartsWith($"user={Agent}\u0001auth=Bearer ", smtpLogin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_AgentsSoundTokenRefused_PermissionDeniedWithFullAccessCmdletAndNoSecondToken()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false));
        var account = Shared(server.Port, server.Port);
        var tokens = MailTestData.TokenSequence(AgentToken(1));

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.Delegated).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, ex.Category);
        Assert.Contains($"with the token of its agent, {Agent}, whose claims show nothing wrong", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"user name {Support}, signed in as {Agent}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Add-MailboxPermission -Identity {Support} -User {Agent} -AccessRights FullAccess -AutoMapping $false", ex.Advice, StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Once);
        tokens.Verify(p => p.InvalidateAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Single(server.ClientLines, l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal));
    }

    public static TheoryData<string> TokensThatMayBeTheCause => new() { "another-user", "no-imap-scope", "near-expiry", "opaque" };

    [Theory]
    [MemberData(nameof(TokensThatMayBeTheCause))]
    public async Task ConnectImapAsync_RefusedTokenThatMayBeTheCause_RetriedOnceWithAFreshToken(string kind)
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap().First(@"^\S+ AUTHENTICATE ", ["{tag} NO AUTHENTICATE failed."], once: false));
        var account = Shared(server.Port, server.Port);
        AccessToken Token(int n) => kind switch
        {
            "another-user" => Jwt(new { aud = "https://outlook.office.com", upn = "clerk@contoso.test", scp = "IMAP.AccessAsUser.All", uti = n }),
            "no-imap-scope" => Jwt(new { aud = "https://outlook.office.com", upn = Agent, scp = "SMTP.Send", uti = n }),
            "near-expiry" => Jwt(new { aud = "https://outlook.office.com", upn = Agent, scp = "IMAP.AccessAsUser.All", uti = n }, TimeSpan.FromMinutes(2)),
            _ => MailTestData.Token($"opaque-{n}"),
        };
        var tokens = MailTestData.TokenSequence(Token(1), Token(2));

        await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, flow: AuthFlow.Delegated).ConnectImapAsync(account, Ct));

        Assert.Equal(2, server.ClientLines.Count(l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal)));
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Imap, It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private static EmailAccount Shared(int imapPort, int smtpPort) =>
        new(
            Support,
            Support,
            MailTestData.ProviderName,
            new MailEndpoint("127.0.0.1", imapPort, MailTlsMode.Implicit),
            null,
            new MailEndpoint("127.0.0.1", smtpPort, MailTlsMode.StartTls),
            Agent);

    private static AccessToken AgentToken(int n) =>
        Jwt(new { aud = "https://outlook.office.com", upn = Agent, scp = "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send", uti = n });

    private static AccessToken Jwt(object claims, TimeSpan? lifetime = null) =>
        new(MailTestData.Jwt(claims), DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)), ["https://outlook.office.com/IMAP.AccessAsUser.All"], TokenSource.Cache);
}
