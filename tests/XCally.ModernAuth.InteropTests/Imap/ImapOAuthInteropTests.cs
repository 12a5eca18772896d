using MailKit;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Support;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Imap;

/// <summary>IMAP logins through the SDK against Dovecot's oauth2 passdb (local JWT validation with the emulator's key).</summary>
[Collection(MailStackCollection.Name)]
public sealed class ImapOAuthInteropTests(MailStackFixture fixture)
{
    [Theory(Timeout = 60_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Authenticate_SignedInWithSdk_OpensInbox(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox($"imap-{mechanism}".ToLowerInvariant());
        await using var host = await fixture.StartSignedInHostAsync(mailbox);

        using var client = await host.Clients.ConnectImapAsync(mailbox, mechanism, ct);
        var access = await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        Assert.Equal(FolderAccess.ReadOnly, access);
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await fixture.AssertDovecotLoggedAsync(mailbox, $"method={mechanism.ToString().ToUpperInvariant()}");
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public Task Connect_ExpiredToken_NotSentAndRecoversWithOneFreshToken() =>
        TokenRefusalScenarios.ExpiredTokenNotSentAndRecoversWithOneFreshTokenAsync(
            fixture, fixture.Endpoints.Mailbox("imap-expired"), (connector, mailbox, ct) => connector.ConnectImapAsync(mailbox, ct));

    [Fact(Timeout = 60_000)]
    public async Task Connect_TokenSignedByUnknownKey_ThrowsWithDovecotsResponse()
    {
        var mailbox = fixture.Endpoints.Mailbox("imap-unknown-key");

        var refusal = await TokenRefusalScenarios.UnknownKeyRefusedAsync(
            fixture, mailbox, (connector, address, ct) => connector.ConnectImapAsync(address, ct));

        Assert.Equal(DovecotTexts.ImapAuthenticationFailed, refusal.ServerResponse);
        Assert.Contains(mailbox, refusal.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task AuthenticateExtension_TokenSignedByUnknownKey_ThrowsWithDovecotsResponse()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("imap-unknown-key-extension");
        // A token signed by a foreign key is one the SDK's own provider never hands out: the test double issues it.
        await using var host = fixture.StartHostWithTestTokens(mailbox);
        using var strangerKey = new EmulatorSigningKey();
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });
        var account = await host.AccountAsync(mailbox);
        using var client = fixture.MailKit.NewImapClient();
        await client.ConnectAsync(fixture.Imaps.Host, fixture.Imaps.Port, SecureSocketOptions.SslOnConnect, ct);

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => client.AuthenticateAsync(account, host.TokenProvider, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, refusal.Category);
        Assert.Equal(DovecotTexts.AuthenticationFailed, refusal.ServerResponse);
        Assert.False(client.IsAuthenticated);
        Assert.Equal(2, host.TestTokens.IssuedCount);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.UnknownKeyReason(strangerKey.KeyId));
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_TokenForAnotherMailbox_RefusedByServer()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("imap-victim");
        var otherMailbox = fixture.Endpoints.Mailbox("imap-attacker");
        // A token naming another user is one the SDK's own provider never hands out: the test double issues it.
        await using var host = fixture.StartHostWithTestTokens(mailbox);
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { UserPrincipalName = otherMailbox });
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { UserPrincipalName = otherMailbox });

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(mailbox, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, refusal.Category);
        Assert.Equal(DovecotTexts.ImapAuthenticationFailed, refusal.ServerResponse);

        // The token's own claims say why, without the token being quoted.
        Assert.Contains($"it belongs to {otherMailbox}, not to {mailbox}", refusal.Advice, StringComparison.Ordinal);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.WrongUserReason(mailbox, otherMailbox));
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_RealSizeToken_Accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("imap-real-size");
        var token = fixture.Minter.MintRealSize(mailbox);
        using var client = fixture.MailKit.NewImapClient();

        await DirectMailKitClients.ConnectAsync(client, fixture.Imaps, DirectMailKitClients.Sasl(OAuthMechanism.XOAuth2, mailbox, token), ct);

        Assert.True(token.Length > 2_500, $"The token has {token.Length} characters; a real-size one has more than 2,500.");
        Assert.True(client.IsAuthenticated);
        await client.DisconnectAsync(quit: true, ct);
    }
}
