namespace XCally.ModernAuth.InteropTests.Imap;

/// <summary>
/// A shared mailbox account served by an agent's sign-in, against Dovecot's oauth2 passdb, which (like a mailbox the agent holds no
/// Full Access to) accepts a token only for the user it names: the connector logs in to the shared address with the agent's
/// token and reports the refusal as a permission problem, without asking for another token.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class SharedMailboxInteropTests(MailStackFixture fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task ConnectImapAsync_AgentsTokenForAnotherUser_MailboxPermissionDeniedWithOneTokenRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var agent = fixture.Endpoints.Mailbox("shared-agent-imap");
        var shared = fixture.Endpoints.Mailbox("shared-support-imap");
        await using var host = await fixture.StartSignedInAgentWithSharedMailboxAsync(agent, shared);

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(shared, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, refusal.Category);
        Assert.Equal(DovecotTexts.ImapAuthenticationFailed, refusal.ServerResponse);
        Assert.Contains($"user name {shared}, signed in as {agent}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"Add-MailboxPermission -Identity {shared} -User {agent} -AccessRights FullAccess -AutoMapping $false", refusal.Advice, StringComparison.Ordinal);

        // One token request in all: the sign-in's authorization code. The refused token was the agent's own and sound, so no new one.
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await fixture.AssertDovecotLoggedAsync(shared, DovecotTexts.WrongUserReason(shared, agent));

        // The agent's own mailbox opens with that same sign-in.
        using var own = await host.Connector.ConnectImapAsync(agent, ct);
        Assert.True(own.IsAuthenticated);
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await own.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task ConnectPop3Async_AgentsTokenForAnotherUser_MailboxPermissionDeniedWithOneTokenRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var agent = fixture.Endpoints.Mailbox("shared-agent-pop3");
        var shared = fixture.Endpoints.Mailbox("shared-support-pop3");
        await using var host = await fixture.StartSignedInAgentWithSharedMailboxAsync(agent, shared);

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectPop3Async(shared, ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, refusal.Category);
        Assert.Contains($"Add-MailboxPermission -Identity {shared} -User {agent} -AccessRights FullAccess -AutoMapping $false", refusal.Advice, StringComparison.Ordinal);
        Assert.Equal(1, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await fixture.AssertDovecotLoggedAsync(shared, DovecotTexts.WrongUserReason(shared, agent));
    }
}
