using MailKit;
using MailKit.Net.Imap;
using Moq;
using XCally.ModernAuth.Internal;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class MailClientConnectorTests
{
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

    internal static MailClientConnector Connector(Mock<ITokenProvider> tokens, EmailAccount account, Action<MailConnectorOptions>? configure = null, AuthFlow? flow = null) =>
        new(MailTestData.Accounts(account).Object, tokens.Object, MailTestData.Options(configure), flow is { } f ? MailTestData.Providers(f).Object : null);
}
