using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Moq;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>The mail emulator refuses in Exchange Online's words, and the SDK explains each refusal.</summary>
public class MailboxRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAsync_NoMailboxPermission_AuthenticatedButNotConnectedExplained()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Directory.FindMailbox(host.Support)!.RevokeFullAccess(host.Emulator.Application);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.Contains("User is authenticated but not connected", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains("Add-MailboxPermission", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_RoleNotGranted_RefusedTwiceWithExchangeWords()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Application.RevokeAppRoles(EmulatorApplication.ImapAccessAsApp);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(host.Support, Ct));

        // Refused with a fresh token too: not the token's fault. The claims say why: no IMAP.AccessAsApp role.
        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.Contains("no IMAP.AccessAsApp role", error.Advice, StringComparison.Ordinal);
        Assert.Contains("AUTHENTICATE failed.", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains("New-ServicePrincipal", error.Advice, StringComparison.Ordinal);
        Assert.Equal(2, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap).Failed);
        Assert.Equal(2, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task ConnectPop3Async_RoleNotGranted_AuthenticationFailureExplained()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Application.RevokeAppRoles(EmulatorApplication.PopAccessAsApp);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectPop3Async(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.Contains("Authentication failure", error.ServerResponse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectSmtpAsync_RoleNotGranted_Smtp573Explained()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Application.RevokeAppRoles(EmulatorApplication.SmtpSendAsApp);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectSmtpAsync(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.Contains("5.7.3 Authentication unsuccessful", error.ServerResponse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectSmtpAsync_SmtpAuthDisabledForMailbox_ProtocolDisabledWithoutRetry()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.Emulator.Directory.FindMailbox(host.Support)!.SmtpAuthEnabled = false;

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectSmtpAsync(host.Support, Ct));

        Assert.Equal(ModernAuthErrorCategory.ProtocolDisabled, error.Category);
        Assert.Contains("5.7.139", error.ServerResponse, StringComparison.Ordinal);
        Assert.Equal(1, host.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
    }

    [Fact]
    public async Task ConnectImapAsync_UnknownMailboxUserName_AuthenticateFailedExplained()
    {
        await using var host = await EmulatorHost.StartAsync(builder => builder.AddEmailAccount(
            "ghost@contoso.onmicrosoft.com", "emulator", account => account.Imap.Port = 1));
        var ghost = await host.AccountAsync("ghost@contoso.onmicrosoft.com");
        var endpoint = host.Emulator.Mail.GetEndpoint(MailProtocol.Imap);
        using var imap = new ImapClient { ServerCertificateValidationCallback = host.Emulator.TrustMailServerCertificate() };
        await imap.ConnectAsync(endpoint.Host, endpoint.Port, SecureSocketOptions.SslOnConnect, Ct);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => imap.AuthenticateAsync(ghost, host.Tokens, Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
    }

    public static TheoryData<string> WrongTokens => new() { "audience", "expired", "foreign-key", "delegated-wrong-user" };

    [Theory]
    [MemberData(nameof(WrongTokens))]
    public async Task AuthenticateAsync_WrongToken_RefusedInExchangeWordsAndExplained(string kind)
    {
        await using var host = await EmulatorHost.StartAsync();
        var emulator = host.Emulator;
        using var foreignKey = new EmulatorSigningKey();
        var user = emulator.Directory.AddUser(emulator.Tenant, $"agent@{emulator.Tenant.Domain}");
        var token = kind switch
        {
            "audience" => emulator.Identity.IssueAppOnlyAccessToken(emulator.Application, "https://graph.microsoft.com"),
            "expired" => emulator.Identity.IssueAppOnlyAccessToken(emulator.Application, overrides: new EmulatorTokenOverrides { Lifetime = TimeSpan.FromMinutes(-5) }),
            "foreign-key" => emulator.Identity.IssueAppOnlyAccessToken(emulator.Application, overrides: new EmulatorTokenOverrides { SigningCredentials = foreignKey.SigningCredentials }),
            _ => emulator.Identity.IssueDelegatedAccessToken(emulator.Application, user),
        };
        var tokens = new Mock<ITokenProvider>();
        tokens.Setup(t => t.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1), ["https://outlook.office365.com/.default"], TokenSource.Cache));
        var account = await host.AccountAsync(host.Support);
        var endpoint = emulator.Mail.GetEndpoint(MailProtocol.Smtp);
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = emulator.TrustMailServerCertificate() };
        await smtp.ConnectAsync(endpoint.Host, endpoint.Port, SecureSocketOptions.StartTls, Ct);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.AuthenticateAsync(account, tokens.Object, Ct));

        if (kind == "expired")
        {
            // Its exp passed five minutes ago by this machine's clock too: never sent, asked for once more, refused before sending.
            Assert.Equal(ModernAuthErrorCategory.TokenExpired, error.Category);
            Assert.Contains("expired", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
            tokens.Verify(t => t.InvalidateAsync(account, MailProtocol.Smtp, It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
            return;
        }

        // The provider hands out the refused token again: it is not sent a second time.
        Assert.Equal(ModernAuthErrorCategory.MailboxAuthenticationFailed, error.Category);
        Assert.Contains("5.7.3 Authentication unsuccessful", error.ServerResponse, StringComparison.Ordinal);
        Assert.Equal(1, emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed);
        Assert.DoesNotContain(token, error.ToString(), StringComparison.Ordinal);
        tokens.Verify(t => t.InvalidateAsync(account, MailProtocol.Smtp, It.IsAny<AccessToken>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
