using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Moq;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class OAuthMailClientExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthenticateAsync_ImapWithoutTls_RefusedBeforeTokenOrAuthenticate()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port, imapTls: MailTlsMode.None);
        var tokens = MailTestData.Tokens();
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None, Ct);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => client.AuthenticateAsync(account, tokens.Object, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
        Assert.False(client.IsAuthenticated);
        Assert.DoesNotContain(server.ClientLines, l => l.Contains("AUTHENTICATE", StringComparison.Ordinal));
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AuthenticateAsync_SmtpRefusedOnce_InvalidatesAndSucceedsWithFreshToken()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: false,
            MailDialogues.Smtp().First("^AUTH XOAUTH2 ", ["535 5.7.3 Authentication unsuccessful [scripted.test]"]));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("stale", "fresh");
        using var client = new SmtpClient { ServerCertificateValidationCallback = TestCertificate.TrustOnlyServer };
        await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.StartTls, Ct);

        await client.AuthenticateAsync(account, tokens.Object, Ct);

        Assert.True(client.IsAuthenticated);
        tokens.Verify(p => p.InvalidateAsync(account, MailProtocol.Smtp, It.Is<AccessToken>(t => t.Token == "stale"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("AUTH XOAUTH2 " + MailTestData.XOAuth2(MailTestData.Address, "fresh"), server.ClientLines.Last(l => l.StartsWith("AUTH", StringComparison.Ordinal)));
    }
}
