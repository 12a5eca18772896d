using MailKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Support;

/// <summary>
/// The token refusals every protocol's interop tests put the SDK connector through against the real servers. The tests keep
/// their own names and add the assertions on what their protocol answers.
/// </summary>
internal static class TokenRefusalScenarios
{
    /// <summary>
    /// The first token is already expired: the server refuses it, and the connector drops it and connects with one fresh token.
    /// </summary>
    /// <typeparam name="TClient">The MailKit client the connector returns.</typeparam>
    /// <param name="fixture">The mail stack.</param>
    /// <param name="mailbox">The mailbox address.</param>
    /// <param name="connect">Connects through the connector, e.g. <c>(c, m, ct) =&gt; c.ConnectImapAsync(m, ct)</c>.</param>
    /// <returns>A task.</returns>
    public static async Task ExpiredTokenRecoversWithOneFreshTokenAsync<TClient>(
        MailStackFixture fixture, string mailbox, Func<IMailClientConnector, string, CancellationToken, Task<TClient>> connect)
        where TClient : IMailService
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = fixture.StartHost(mailbox);
        host.Tokens.IssueNextWith(new EmulatorTokenOverrides { Lifetime = TimeSpan.FromMinutes(-30) });

        using var client = await connect(host.Connector, mailbox, ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(2, host.Tokens.IssuedCount);
        Assert.Equal([mailbox], host.Tokens.Invalidated);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.ExpiredTokenReason);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>
    /// Every token is signed by a key the server does not trust: the connector retries once with a fresh token, then throws
    /// <see cref="ModernAuthErrorCategory.MailboxAuthenticationFailed"/>.
    /// </summary>
    /// <param name="fixture">The mail stack.</param>
    /// <param name="mailbox">The mailbox address.</param>
    /// <param name="connect">Connects through the connector, e.g. <c>(c, m, ct) =&gt; c.ConnectImapAsync(m, ct)</c>.</param>
    /// <returns>The refusal, for the protocol's own assertions.</returns>
    public static async Task<ModernAuthException> UnknownKeyRefusedAsync(
        MailStackFixture fixture, string mailbox, Func<IMailClientConnector, string, CancellationToken, Task> connect)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = fixture.StartHost(mailbox);
        using var strangerKey = new EmulatorSigningKey();
        host.Tokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });
        host.Tokens.IssueNextWith(new EmulatorTokenOverrides { SigningCredentials = strangerKey.SigningCredentials });

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => connect(host.Connector, mailbox, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxAuthenticationFailed, refusal.Category);
        Assert.Equal(2, host.Tokens.IssuedCount);
        Assert.Equal([mailbox], host.Tokens.Invalidated);
        await fixture.AssertDovecotLoggedAsync(mailbox, DovecotTexts.UnknownKeyReason(strangerKey.KeyId));
        return refusal;
    }
}
