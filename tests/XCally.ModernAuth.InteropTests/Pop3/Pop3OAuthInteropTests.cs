using MailKit.Net.Pop3;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Support;

namespace XCally.ModernAuth.InteropTests.Pop3;

/// <summary>POP3 logins through the SDK against Dovecot's oauth2 passdb.</summary>
[Collection(MailStackCollection.Name)]
public sealed class Pop3OAuthInteropTests(MailStackFixture fixture)
{
    [Theory(Timeout = 60_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Authenticate_SignedInWithSdk_ReadsMaildrop(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox($"pop3-{mechanism}".ToLowerInvariant());
        await using var host = await fixture.StartSignedInHostAsync(mailbox);

        using var client = await host.Clients.ConnectPop3Async(mailbox, mechanism, ct);
        var count = await client.GetMessageCountAsync(ct);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        Assert.Equal(0, count);
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await fixture.AssertDovecotLoggedAsync(mailbox, $"method={mechanism.ToString().ToUpperInvariant()}");
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public Task Connect_ExpiredToken_NotSentAndRecoversWithOneFreshToken() =>
        TokenRefusalScenarios.ExpiredTokenNotSentAndRecoversWithOneFreshTokenAsync(
            fixture, fixture.Endpoints.Mailbox("pop3-expired"), (connector, mailbox, ct) => connector.ConnectPop3Async(mailbox, ct));

    [Fact(Timeout = 60_000)]
    public async Task Connect_TokenSignedByUnknownKey_ThrowsMailboxPermissionDenied()
    {
        var refusal = await TokenRefusalScenarios.UnknownKeyRefusedAsync(
            fixture, fixture.Endpoints.Mailbox("pop3-unknown-key"), (connector, mailbox, ct) => connector.ConnectPop3Async(mailbox, ct));

        Assert.Equal(DovecotTexts.Pop3AuthenticationFailed, refusal.ServerResponse);
        Assert.IsType<Pop3ProtocolException>(refusal.InnerException);
    }

    /// <summary>
    /// Dovecot refuses, but answers the token with a SASL error challenge (a base64 JSON status) before its <c>-ERR</c>. MailKit's
    /// POP3 client does not answer that challenge and surfaces the refusal as a <see cref="Pop3ProtocolException"/>, not an
    /// <see cref="AuthenticationException"/> as over IMAP: the SDK must treat it as a refused token (the tests above).
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task MailKit_ExpiredToken_RefusalIsAProtocolException()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("pop3-expired-mailkit");
        using var client = fixture.MailKit.NewPop3Client();

        var refusal = await Assert.ThrowsAsync<Pop3ProtocolException>(() => DirectMailKitClients.ConnectAsync(
            client, fixture.Pop3s, DirectMailKitClients.Sasl(OAuthMechanism.XOAuth2, mailbox, fixture.Minter.MintExpired(mailbox)), ct));

        Assert.Equal(DovecotTexts.Pop3AuthenticationRefused, refusal.Message);
        Assert.False(client.IsAuthenticated);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.ExpiredTokenReason);
    }
}
