using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.Mail.Imap;

public class ImapSessionTests
{
    [Fact]
    public async Task Read_AfterSmtpSend_FetchesMarksSeenAndExpunges()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using (var smtp = await environment.ConnectSmtpAsync())
        {
            await smtp.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
            var message = MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, "Invoice 7");
            var builder = new BodyBuilder { TextBody = "Please find it attached." };
            builder.Attachments.Add("invoice.txt", "total: 42"u8.ToArray());
            message.Body = builder.ToMessageBody();
            await smtp.SendAsync(message, TestContext.Current.CancellationToken);
        }

        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.UserMailbox.Address, environment.UserToken()), TestContext.Current.CancellationToken);
        var inbox = client.Inbox!;
        await inbox.OpenAsync(FolderAccess.ReadWrite, TestContext.Current.CancellationToken);
        Assert.Equal(1, inbox.Count);

        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.BodyStructure, TestContext.Current.CancellationToken);
        var summary = Assert.Single(summaries);
        Assert.NotNull(summary.Envelope);
        Assert.Equal("Invoice 7", summary.Envelope.Subject);
        Assert.Equal(environment.Shared.Address, summary.Envelope.From.Mailboxes.Single().Address);
        Assert.False(summary.Flags!.Value.HasFlag(MessageFlags.Seen));
        Assert.Equal("invoice.txt", Assert.Single(summary.Attachments).FileName);
        Assert.Equal(environment.Time.GetUtcNow(), summary.InternalDate);

        var fetched = await inbox.GetMessageAsync(summary.UniqueId, TestContext.Current.CancellationToken);
        Assert.Equal("Please find it attached.", fetched.TextBody?.Trim());
        var part = (MimePart)await inbox.GetBodyPartAsync(summary.UniqueId, summary.Attachments.Single(), TestContext.Current.CancellationToken);
        Assert.Equal("invoice.txt", part.FileName);

        await inbox.AddFlagsAsync(summary.UniqueId, MessageFlags.Seen, true, TestContext.Current.CancellationToken);
        Assert.Empty(await inbox.SearchAsync(SearchQuery.NotSeen, TestContext.Current.CancellationToken));
        Assert.Single(await inbox.SearchAsync(SearchQuery.SubjectContains("invoice").And(SearchQuery.Seen), TestContext.Current.CancellationToken));

        await inbox.AddFlagsAsync(summary.UniqueId, MessageFlags.Deleted, true, TestContext.Current.CancellationToken);
        await inbox.ExpungeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, inbox.Count);
        Assert.Empty(environment.UserMailbox.Messages);
        await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Folders_ListStatusMoveAndAppend_Work()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.Deliver(MailTestEnvironment.Message("a@example.org", environment.Shared.Address, "move me"));
        using var client = await environment.ConnectImapAsync(startTls: true);
        await client.AuthenticateAsync(new SaslMechanismOAuthBearer(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        var folders = await personal.GetSubfoldersAsync(false, TestContext.Current.CancellationToken);
        Assert.Contains(folders, f => f.Name == "Sent Items");
        var deleted = await client.GetFolderAsync("Deleted Items", TestContext.Current.CancellationToken);

        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, TestContext.Current.CancellationToken);
        var moved = await client.Inbox.MoveToAsync(new UniqueId(1), deleted, TestContext.Current.CancellationToken);
        Assert.NotNull(moved);
        Assert.Equal(0, client.Inbox.Count);

        var appended = await deleted.AppendAsync(MailTestEnvironment.Message(environment.Shared.Address, environment.Shared.Address, "draft"), MessageFlags.Seen, TestContext.Current.CancellationToken);
        Assert.NotNull(appended);
        await deleted.StatusAsync(StatusItems.Count | StatusItems.Unread | StatusItems.UidNext, TestContext.Current.CancellationToken);
        Assert.Equal(2, deleted.Count);
        Assert.Equal(1, deleted.Unread);
        Assert.Equal(["move me", "draft"], environment.Shared.GetMessages(EmulatorMailbox.DeletedItems).Select(m => m.Subject));
    }

    [Theory]
    [InlineData("graph-audience")]
    [InlineData("missing-scope")]
    [InlineData("unknown-mailbox")]
    [InlineData("expired")]
    public async Task Authenticate_UnacceptableToken_FailsWithAuthenticateFailed(string defect)
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        var user = environment.UserMailbox.Address;
        var token = defect switch
        {
            "graph-audience" => environment.UserToken(audience: "https://graph.microsoft.com"),
            "missing-scope" => environment.UserToken("SMTP.Send"),
            _ => environment.UserToken(),
        };
        if (defect == "unknown-mailbox")
        {
            user = "ghost@contoso.onmicrosoft.com";
        }

        if (defect == "expired")
        {
            environment.Time.Advance(TimeSpan.FromMinutes(76));
        }

        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", environment.Server.ImapPort, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(user, token), TestContext.Current.CancellationToken));

        Assert.Contains(" NO AUTHENTICATE failed.", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        Assert.Equal(new MailAuthenticationCounts(0, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Imap));
    }

    [Fact]
    public async Task Authenticate_AppWithoutFullAccess_IsAuthenticatedButNotConnected()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.RevokeFullAccess(environment.App);
        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", environment.Server.ImapPort, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);

        // Exchange Online accepts the token, then answers every command (MailKit's NAMESPACE first) with BAD.
        var error = await Assert.ThrowsAsync<ImapCommandException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken));

        Assert.Equal(ImapCommandResponse.Bad, error.Response);
        Assert.Equal("User is authenticated but not connected.", error.ResponseText);
        Assert.Contains("OK AUTHENTICATE completed.", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        Assert.Contains("BAD User is authenticated but not connected.", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        Assert.Equal(new MailAuthenticationCounts(0, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Imap));
    }

    [Fact]
    public async Task Authenticate_DelegateOfSharedMailbox_OpensItOnlyWithFullAccess()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var log = new MemoryStream();
        using var refused = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await refused.ConnectAsync("127.0.0.1", environment.Server.ImapPort, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);

        // The agent's own token with the shared mailbox as user=: Exchange's words for a missing Add-MailboxPermission.
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            refused.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.UserToken()), TestContext.Current.CancellationToken));
        environment.Shared.GrantFullAccess(environment.User);
        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.UserToken()), TestContext.Current.CancellationToken);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);

        Assert.Contains(" NO AUTHENTICATE failed.", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        Assert.True(client.IsAuthenticated);
        Assert.Equal(new MailAuthenticationCounts(1, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Imap));
    }

    [Fact]
    public async Task Authenticate_Password_IsRefusedWithLoginFailed()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectImapAsync();

        var error = await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(environment.Shared.Address, "password", TestContext.Current.CancellationToken));

        Assert.Equal("LOGIN failed.", error.Message);
    }

    [Fact]
    public async Task Idle_MessageDelivered_PushesExists()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        var countChanged = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.CountChanged += (_, _) => countChanged.TrySetResult(client.Inbox.Count);
        using var done = new CancellationTokenSource();

        var idle = client.IdleAsync(done.Token, TestContext.Current.CancellationToken);
        environment.Shared.Deliver(MailTestEnvironment.Message("a@example.org", environment.Shared.Address, "while idle"));

        Assert.Equal(1, await countChanged.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await done.CancelAsync();
        await idle.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Idle_DisconnectAll_DropsTheClient()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token, TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => environment.Server.ActiveConnections == 1);

        environment.Server.DisconnectAll();

        await Assert.ThrowsAnyAsync<Exception>(() => idle.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Idle_LongerThanIdleTimeout_ServerEndsTheSession()
    {
        await using var environment = await MailTestEnvironment.StartAsync(new EmulatorMailServerOptions { IdleTimeout = TimeSpan.FromMinutes(29) });
        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token, TestContext.Current.CancellationToken);

        // The server starts its idle timer only once it has read IDLE; advance the fake clock until the session ends.
        for (var i = 0; i < 200 && !idle.IsCompleted; i++)
        {
            environment.Time.Advance(TimeSpan.FromMinutes(30));
            await Task.WhenAny(idle, Task.Delay(50, TestContext.Current.CancellationToken));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => idle.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Commands_MalformedOrOutOfState_GetBadWithoutClosing()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        await using var raw = await RawMailClient.ConnectAsync(environment.Server.ImapPort, tls: true);
        Assert.Equal("* OK The Microsoft Exchange IMAP4 service is ready.", await raw.ReadLineAsync());

        await raw.WriteAsync("a1 SELECT INBOX\r\n");
        Assert.Equal("a1 BAD Command received in Invalid state.", await raw.ReadLineAsync());
        await raw.WriteAsync("a2 FROB\r\n");
        Assert.Equal("a2 BAD Command Error. 12", await raw.ReadLineAsync());
        await raw.WriteAsync("a3 LOGIN {999999999}\r\n");
        Assert.Equal("a3 BAD Command Argument Error. Literal too large.", await raw.ReadLineAsync());
        await raw.WriteAsync("a4 LOGIN \"unterminated\r\n");
        Assert.Equal("a4 BAD Command Argument Error. 11", await raw.ReadLineAsync());
        await raw.WriteAsync("a5 LOGIN {4}\r\n");
        Assert.StartsWith("+ ", await raw.ReadLineAsync(), StringComparison.Ordinal);
        await raw.WriteAsync("user pass\r\n");
        Assert.Equal("a5 NO LOGIN failed.", await raw.ReadLineAsync());
        await raw.WriteAsync("a6 AUTHENTICATE XOAUTH2\r\n");
        Assert.Equal("+ ", await raw.ReadLineAsync());
        await raw.WriteAsync("*\r\n");
        Assert.Equal("a6 BAD AUTHENTICATE cancelled.", await raw.ReadLineAsync());
        await raw.WriteAsync("a7 CAPABILITY\r\n");
        Assert.Equal("* CAPABILITY IMAP4 IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+", await raw.ReadLineAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
