using MailKit;
using Microsoft.Extensions.Time.Testing;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Support;

/// <summary>
/// The token refusals every protocol's interop tests put the SDK connector through against the real servers. The tests keep
/// their own names and add the assertions on what their protocol answers.
/// </summary>
internal static class TokenRefusalScenarios
{
    // More than the emulator's one-hour access token lifetime: a token issued on the lagging clock is expired by the real one.
    private static readonly TimeSpan EmulatorLag = TimeSpan.FromHours(2);

    /// <summary>
    /// The first token is already expired: the connector sees it by the token's <c>exp</c> against the wall clock, never sends it,
    /// drops it and connects with one fresh token; the server never sees the expired one. All of it goes through the SDK's own
    /// token path. The mailbox signs in on an emulator whose clock is two hours behind, so the
    /// access token the sign-in leaves in the SDK's cache expired an hour ago by the real clock Dovecot checks <c>exp</c> against,
    /// while MSAL, which judges a cached token by the <c>expires_in</c> it was given, still serves it. Then the emulator's clock is
    /// moved to the present: the refresh the SDK makes after dropping the token brings a token valid now. Nothing depends on timing.
    /// </summary>
    /// <typeparam name="TClient">The MailKit client the connector returns.</typeparam>
    /// <param name="fixture">The mail stack.</param>
    /// <param name="mailbox">The mailbox address.</param>
    /// <param name="connect">Connects through the connector, e.g. <c>(c, m, ct) =&gt; c.ConnectImapAsync(m, ct)</c>.</param>
    /// <returns>A task.</returns>
    public static async Task ExpiredTokenNotSentAndRecoversWithOneFreshTokenAsync<TClient>(
        MailStackFixture fixture, string mailbox, Func<IMailClientConnector, string, CancellationToken, Task<TClient>> connect)
        where TClient : IMailService
    {
        var ct = TestContext.Current.CancellationToken;
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow - EmulatorLag);
        await using var emulator = await fixture.StartTrustedEmulatorAsync(new ModernAuthEmulatorOptions { TimeProvider = emulatorTime });
        await using var host = await fixture.StartSignedInHostAsync(emulator, mailbox);
        emulatorTime.Advance(EmulatorLag);

        using var client = await connect(host.Connector, mailbox, ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(1, host.RefreshTokenRedemptions);
        await client.DisconnectAsync(quit: true, ct);

        // The server never saw the expired token (Dovecot checks every token, Postfix's through Dovecot's auth service).
        Assert.DoesNotContain(fixture.Stack.ReadDovecotLog().Split('\n'), line => line.Contains(mailbox, StringComparison.Ordinal) && line.Contains(DovecotTexts.ExpiredTokenReason, StringComparison.Ordinal));
    }

    /// <summary>
    /// Every token is signed by a key the server does not trust: the connector retries once with a fresh token, then throws
    /// <see cref="ModernAuthErrorCategory.MailboxPermissionDenied"/> (a fresh token refused too: the token's age is not the cause). The SDK's own provider never hands out such a token, so
    /// the host gets its tokens from the test double <see cref="Tokens.EmulatorDelegatedTokenProvider"/>.
    /// </summary>
    /// <param name="fixture">The mail stack.</param>
    /// <param name="mailbox">The mailbox address.</param>
    /// <param name="connect">Connects through the connector, e.g. <c>(c, m, ct) =&gt; c.ConnectImapAsync(m, ct)</c>.</param>
    /// <returns>The refusal, for the protocol's own assertions.</returns>
    public static async Task<ModernAuthException> UnknownKeyRefusedAsync(
        MailStackFixture fixture, string mailbox, Func<IMailClientConnector, string, CancellationToken, Task> connect)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = fixture.StartHostWithTestTokens(mailbox);
        using var strangerKey = new EmulatorSigningKey();
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });
        host.TestTokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => connect(host.Connector, mailbox, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, refusal.Category);
        Assert.Equal(2, host.TestTokens.IssuedCount);
        Assert.Equal([mailbox], host.TestTokens.Invalidated);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.UnknownKeyReason(strangerKey.KeyId));
        return refusal;
    }
}
