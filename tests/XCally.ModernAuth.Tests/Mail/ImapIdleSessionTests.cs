using Microsoft.Extensions.Time.Testing;
using Moq;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

public class ImapIdleSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ServerDropsIdle_ReconnectsWithFreshTokenAndReportsNewMessages()
    {
        await using var server = ScriptedMailServer.Start(
            implicitTls: true,
            MailDialogues.Imap().First(@"^\S+ IDLE$", ["+ idling"], hangUp: true),
            MailDialogues.Imap().First(@"^\S+ IDLE$", ["+ idling", "* 2 EXISTS"], once: true));
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens("first-token", "second-token");
        var connector = MailClientConnectorTests.Connector(tokens, account);
        var time = new FakeTimeProvider();
        var session = new ImapIdleSession(connector, MailTestData.Address, new ImapIdleOptions { InitialReconnectDelay = TimeSpan.FromSeconds(2) }, time);
        var states = new List<ImapIdleStateChangedEventArgs>();
        session.StateChanged += (_, e) => { lock (states) { states.Add(e); } };
        var triggers = new List<ImapIdleTrigger>();
        var newMessages = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = session.RunAsync(
            (notification, _) =>
            {
                triggers.Add(notification.Trigger);
                if (notification.Trigger == ImapIdleTrigger.NewMessages)
                {
                    newMessages.TrySetResult(notification.Inbox.Count);
                }

                return Task.CompletedTask;
            },
            stop.Token);

        // The back-off waits on the fake clock: move it on until the session has reconnected and seen the new message.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!newMessages.Task.IsCompleted && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(newMessages.Task, run, Task.Delay(20, Ct));
        }

        Assert.True(newMessages.Task.IsCompleted, $"No new messages reported; run {run.Status} {run.Exception}; server errors: {string.Join("; ", server.Errors)}");
        Assert.Equal(2, await newMessages.Task);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal([ImapIdleTrigger.Connected, ImapIdleTrigger.Reconnected, ImapIdleTrigger.NewMessages], triggers);
        Assert.Equal(2, server.Connections);
        Assert.Contains("DONE", server.ClientLines);
        var waiting = Assert.Single(states, s => s.State == ImapIdleSessionState.WaitingToReconnect);
        Assert.Equal(1, waiting.ReconnectAttempt);
        Assert.InRange(waiting.ReconnectDelay!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(ImapIdleSessionState.Stopped, session.State);

        // Each connection signed in with its own token: the first one was not reused on reconnect.
        tokens.Verify(p => p.GetAccessTokenAsync(account, MailProtocol.Imap, It.IsAny<CancellationToken>()), Times.Exactly(2));
        var auths = server.ClientLines.Where(l => l.Contains(" AUTHENTICATE ", StringComparison.Ordinal)).Select(MailTestData.DecodeLastArgument).ToList();
        Assert.Equal(["user=alice@contoso.test\u0001auth=Bearer first-token\u0001\u0001", "user=alice@contoso.test\u0001auth=Bearer second-token\u0001\u0001"], auths);
    }

    [Fact]
    public async Task RunAsync_InvalidConfiguration_FaultsWithoutReconnecting()
    {
        var connector = new Mock<IMailClientConnector>();
        connector.Setup(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, "No such account."));
        var session = new ImapIdleSession(connector.Object, MailTestData.Address, timeProvider: new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => session.RunAsync((_, _) => Task.CompletedTask, Ct));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Equal(ImapIdleSessionState.Faulted, session.State);
        connector.Verify(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(ModernAuthErrorCategory.ReauthorizationRequired)]
    [InlineData(ModernAuthErrorCategory.ProtocolDisabled)]
    [InlineData(ModernAuthErrorCategory.MailboxPermissionDenied)]
    [InlineData(ModernAuthErrorCategory.InvalidConfiguration)]
    public async Task RunAsync_ErrorThatWaitingCannotFix_FaultsAtOnceWithLastError(ModernAuthErrorCategory category)
    {
        var connector = new Mock<IMailClientConnector>();
        var error = new ModernAuthException(category, "Needs a person.");
        connector.Setup(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>())).ThrowsAsync(error);
        var session = new ImapIdleSession(connector.Object, MailTestData.Address, timeProvider: new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => session.RunAsync((_, _) => Task.CompletedTask, Ct));

        Assert.Same(error, ex);
        Assert.Equal(ImapIdleSessionState.Faulted, session.State);
        Assert.Same(error, session.LastError);
        connector.Verify(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_ServerBusyWithRetryAfter_WaitsAtLeastWhatTheServerAsked()
    {
        var connector = new Mock<IMailClientConnector>();
        connector.Setup(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModernAuthException(ModernAuthErrorCategory.ServerBusy, "Throttled.") { RetryAfter = TimeSpan.FromMinutes(3) });
        var session = new ImapIdleSession(connector.Object, MailTestData.Address, new ImapIdleOptions { InitialReconnectDelay = TimeSpan.FromSeconds(1) }, new FakeTimeProvider());
        var waiting = new TaskCompletionSource<ImapIdleStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.StateChanged += (_, e) =>
        {
            if (e.State == ImapIdleSessionState.WaitingToReconnect)
            {
                waiting.TrySetResult(e);
            }
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = session.RunAsync((_, _) => Task.CompletedTask, stop.Token);
        var state = await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(TimeSpan.FromMinutes(3), state.ReconnectDelay);
        Assert.Equal(ModernAuthErrorCategory.ServerBusy, Assert.IsType<ModernAuthException>(state.Error).Category);
    }

    [Fact]
    public async Task RunImapIdleAsync_WithStateHandler_HostSeesTheTerminalState()
    {
        var connector = new Mock<IMailClientConnector>();
        connector.Setup(c => c.ConnectImapAsync(MailTestData.Address, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ModernAuthException(ModernAuthErrorCategory.ReauthorizationRequired, "Sign in again."));
        var states = new List<ImapIdleSessionState>();

        await Assert.ThrowsAsync<ModernAuthException>(() =>
            connector.Object.RunImapIdleAsync(MailTestData.Address, (_, _, _) => Task.CompletedTask, e => states.Add(e.State), Ct));

        Assert.Equal([ImapIdleSessionState.Connecting, ImapIdleSessionState.Faulted], states);
    }

    [Fact]
    public void CreateImapIdleSession_NotStarted_HostHoldsTheSession()
    {
        var session = new Mock<IMailClientConnector>().Object.CreateImapIdleSession(MailTestData.Address, new ImapIdleOptions { MaxReconnectDelay = TimeSpan.FromMinutes(1) });

        Assert.Equal(MailTestData.Address, session.AccountAddress);
        Assert.Equal(ImapIdleSessionState.Stopped, session.State);
        Assert.Null(session.LastError);
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    [InlineData(20, 300_000)]
    public void ReconnectBackoff_Delay_DoublesUpToMaxWithJitterDown(int attempt, int fullMilliseconds)
    {
        var initial = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromMinutes(5);

        Assert.Equal(TimeSpan.FromMilliseconds(fullMilliseconds / 2.0), Internal.ReconnectBackoff.Delay(attempt, initial, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(fullMilliseconds), Internal.ReconnectBackoff.Delay(attempt, initial, max, 1));
    }
}
