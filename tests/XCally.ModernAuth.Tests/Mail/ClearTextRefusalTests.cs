using Moq;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

/// <summary>The SDK's own refusals to send a token in clear text, which need no real server.</summary>
public class ClearTextRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A clear-text IMAP server that offers XOAUTH2 but not STARTTLS (what a man in the middle who strips STARTTLS looks like): an
    /// account whose endpoint requires STARTTLS gets <see cref="ModernAuthErrorCategory.InsecureConnection"/>, the server never sees
    /// an AUTHENTICATE, and no token is asked for.
    /// </summary>
    [Fact]
    public async Task ConnectImapAsync_StartTlsStrippedByTheServer_RefusesBeforeSendingAnything()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Imap("IMAP4rev1 SASL-IR AUTH=XOAUTH2"));
        var account = MailTestData.Account(server.Port, imapTls: MailTlsMode.StartTls);
        var tokens = MailTestData.Tokens();

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, refusal.Category);
        Assert.DoesNotContain(server.ClientLines, l => l.Contains("AUTHENTICATE", StringComparison.OrdinalIgnoreCase) || l.Contains("LOGIN", StringComparison.OrdinalIgnoreCase));
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>The first line of defence: an account whose endpoint has no TLS at all cannot even be made.</summary>
    [Fact]
    public void EmailAccountCreate_TlsModeNone_RefusedByValidation()
    {
        var refusal = Assert.Throws<ModernAuthException>(() => EmailAccount.Create(
            new EmailAccountOptions { Address = MailTestData.Address, CloudProvider = MailTestData.ProviderName, Imap = { Host = "127.0.0.1", Port = 143, TlsMode = MailTlsMode.None } },
            MailTestData.Provider(AuthFlow.AppOnly)));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, refusal.Category);
        Assert.Contains("TlsMode", refusal.Message, StringComparison.Ordinal);
    }
}
