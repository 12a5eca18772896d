using MailKit;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Imap;

/// <summary>IMAP logins with bearer tokens against Dovecot's oauth2 passdb (local JWT validation).</summary>
[Collection(MailStackCollection.Name)]
public sealed class ImapOAuthInteropTests(MailStackFixture fixture)
{
    [Theory(Timeout = 60_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Authenticate_ValidToken_OpensInbox(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox($"imap-{mechanism}".ToLowerInvariant());

        using var client = await fixture.Clients.ConnectImapAsync(fixture.Imaps, mailbox, mechanism, ct);
        var access = await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        Assert.Equal(FolderAccess.ReadOnly, access);
        await client.DisconnectAsync(quit: true, ct);
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

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_ExpiredToken_RefusedByServer()
    {
        var mailbox = fixture.Endpoints.Mailbox("imap-expired");

        var refusal = await AuthenticateAsync(mailbox, fixture.Minter.MintExpired(mailbox));

        Assert.Equal(DovecotTexts.AuthenticationFailed, refusal.Message);
        fixture.AssertDovecotLogged(mailbox, DovecotTexts.ExpiredTokenReason);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_TokenSignedByUnknownKey_RefusedByServer()
    {
        var mailbox = fixture.Endpoints.Mailbox("imap-unknown-key");
        using var strangerKey = new EmulatorSigningKey();
        var token = new Tokens.TestTokenMinter(strangerKey.SigningCredentials, TimeProvider.System).Mint(mailbox);

        var refusal = await AuthenticateAsync(mailbox, token);

        Assert.Equal(DovecotTexts.AuthenticationFailed, refusal.Message);
        fixture.AssertDovecotLogged(mailbox, DovecotTexts.UnknownKeyReason(strangerKey.KeyId));
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_TokenForAnotherMailbox_RefusedByServer()
    {
        var mailbox = fixture.Endpoints.Mailbox("imap-victim");
        var otherMailbox = fixture.Endpoints.Mailbox("imap-attacker");
        var otherMailboxToken = fixture.Minter.Mint(otherMailbox);

        var refusal = await AuthenticateAsync(mailbox, otherMailboxToken);

        Assert.Equal(DovecotTexts.AuthenticationFailed, refusal.Message);
        fixture.AssertDovecotLogged(mailbox, DovecotTexts.WrongUserReason(mailbox, otherMailbox));
    }

    private async Task<AuthenticationException> AuthenticateAsync(string mailbox, string token)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewImapClient();
        return await Assert.ThrowsAsync<AuthenticationException>(() => DirectMailKitClients.ConnectAsync(
            client, fixture.Imaps, DirectMailKitClients.Sasl(OAuthMechanism.XOAuth2, mailbox, token), ct));
    }
}
