using MailKit.Net.Pop3;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Clients;

namespace XCally.ModernAuth.InteropTests.Pop3;

/// <summary>POP3 logins with bearer tokens against Dovecot's oauth2 passdb.</summary>
[Collection(MailStackCollection.Name)]
public sealed class Pop3OAuthInteropTests(MailStackFixture fixture)
{
    [Theory(Timeout = 60_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Authenticate_ValidToken_ReadsMaildrop(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox($"pop3-{mechanism}".ToLowerInvariant());

        using var client = await fixture.Clients.ConnectPop3Async(fixture.Pop3s, mailbox, mechanism, ct);
        var size = await client.GetMessageCountAsync(ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        Assert.Equal(0, size);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>
    /// Dovecot refuses, but answers the token with a SASL error challenge (a base64 JSON status) before its <c>-ERR</c>. MailKit's
    /// POP3 client does not answer that challenge and surfaces the refusal as a <see cref="Pop3ProtocolException"/>, not an
    /// <see cref="AuthenticationException"/> as over IMAP: a connector must treat it as an authentication failure.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Authenticate_ExpiredToken_RefusedByServer(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox($"pop3-expired-{mechanism}".ToLowerInvariant());
        using var client = fixture.MailKit.NewPop3Client();

        var refusal = await Assert.ThrowsAsync<Pop3ProtocolException>(() => DirectMailKitClients.ConnectAsync(
            client, fixture.Pop3s, DirectMailKitClients.Sasl(mechanism, mailbox, fixture.Minter.MintExpired(mailbox)), ct));

        Assert.Equal(DovecotTexts.Pop3AuthenticationRefused, refusal.Message);
        Assert.False(client.IsAuthenticated);
        fixture.AssertDovecotLogged(mailbox, DovecotTexts.ExpiredTokenReason);
    }
}
