using MailKit.Net.Smtp;
using MailKit.Security;

namespace XCally.ModernAuth.Testing.Tests.Mail.Smtp;

public class SmtpSessionTests
{
    [Fact]
    public async Task Send_AppOnlyToken_DeliversToInboxAndSentItems()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        var delivered = new TaskCompletionSource<EmulatorMessageDeliveredEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        environment.UserMailbox.MessageDelivered += (_, e) => delivered.TrySetResult(e);
        using var client = await environment.ConnectSmtpAsync();

        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        await client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, "Ticket 42", ".leading dot\r\nline"), TestContext.Current.CancellationToken);
        await client.DisconnectAsync(true, TestContext.Current.CancellationToken);

        var arrived = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(EmulatorMailbox.Inbox, arrived.Folder);
        var message = Assert.Single(environment.UserMailbox.Messages);
        Assert.Equal("Ticket 42", message.Subject);
        Assert.StartsWith(".leading dot", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("Ticket 42", Assert.Single(environment.Shared.GetMessages(EmulatorMailbox.SentItems)).Subject);
        Assert.Equal(new MailAuthenticationCounts(1, 0), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Smtp));
    }

    [Fact]
    public async Task Connect_BeforeStartTls_AuthIsNotOffered()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", environment.Server.SmtpPort, SecureSocketOptions.None, TestContext.Current.CancellationToken);

        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        Assert.Empty(client.AuthenticationMechanisms);

        await using var raw = await RawMailClient.ConnectAsync(environment.Server.SmtpPort, tls: false);
        await raw.ReadLineAsync();
        await raw.WriteAsync("EHLO test\r\nAUTH XOAUTH2 dGVzdA==\r\n");
        Assert.Equal("504 5.7.4 Unrecognized authentication type [localhost]", await raw.ReadUntilAsync("504"));
    }

    [Fact]
    public async Task Authenticate_SmtpAuthDisabled_Returns5_7_139()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.SmtpAuthEnabled = false;
        using var client = await environment.ConnectSmtpAsync();

        var error = await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken));

        Assert.Contains("5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [localhost]", error.Message, StringComparison.Ordinal);
        Assert.Equal(new MailAuthenticationCounts(0, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Smtp));
    }

    [Theory]
    [InlineData("graph-audience")]
    [InlineData("no-send-role")]
    [InlineData("wrong-key")]
    [InlineData("unknown-tenant")]
    public async Task Authenticate_UnacceptableToken_Returns5_7_3(string defect)
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var otherKey = new EmulatorSigningKey();
        var token = defect switch
        {
            "graph-audience" => environment.AppToken(audience: "https://graph.microsoft.com"),
            "no-send-role" => environment.AppToken(roles: [EmulatorApplication.ImapAccessAsApp]),
            "wrong-key" => environment.AppToken(key: otherKey),
            _ => environment.AppToken(tenantId: Guid.NewGuid().ToString()),
        };
        using var client = await environment.ConnectSmtpAsync();

        var error = await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, token), TestContext.Current.CancellationToken));

        Assert.Contains("5.7.3 Authentication unsuccessful [localhost]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_Password_IsRefused()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectSmtpAsync();

        var error = await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(environment.Shared.Address, "password", TestContext.Current.CancellationToken));

        Assert.Contains("5.7.3 Authentication unsuccessful", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_DelegatedUserAsOtherMailboxWithoutSendAs_IsDeniedAtEndOfDataWith5_2_252()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuthBearer(environment.User.UserPrincipalName, environment.UserToken()), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, "spoof"), TestContext.Current.CancellationToken));

        // Exchange Online accepts MAIL FROM and applies Send As when the message is submitted.
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(SmtpStatusCode.TransactionFailed, error.StatusCode);
        Assert.StartsWith(
            $"5.2.252 SendAsDenied; {environment.User.UserPrincipalName} not allowed to send as {environment.Shared.Address}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
            error.Message,
            StringComparison.Ordinal);
        Assert.Empty(environment.UserMailbox.Messages);
    }

    [Fact]
    public async Task Send_DelegatedUserWithSendAs_DeliversFromTheSharedMailbox()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.GrantSendAs(environment.User);
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.User.UserPrincipalName, environment.UserToken()), TestContext.Current.CancellationToken);

        await client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, "as support"), TestContext.Current.CancellationToken);

        Assert.Equal(environment.Shared.Address, Assert.Single(environment.UserMailbox.Messages).From.Mailboxes.Single().Address);
        Assert.Single(environment.Shared.GetMessages(EmulatorMailbox.SentItems));
    }

    [Fact]
    public async Task Send_DelegatedUserOnBehalf_NeedsSendOnBehalfAndTheSenderHeader()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.User.UserPrincipalName, environment.UserToken()), TestContext.Current.CancellationToken);
        MimeKit.MimeMessage OnBehalf(string subject)
        {
            var message = MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, subject);
            message.Sender = MimeKit.MailboxAddress.Parse(environment.User.UserPrincipalName);
            return message;
        }

        var denied = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(OnBehalf("before the grant"), TestContext.Current.CancellationToken));
        environment.Shared.GrantSendOnBehalf(environment.User);
        await client.SendAsync(OnBehalf("after the grant"), TestContext.Current.CancellationToken);

        Assert.Contains("5.2.252 SendAsDenied", denied.Message, StringComparison.Ordinal);
        var delivered = Assert.Single(environment.UserMailbox.Messages);
        Assert.Equal("after the grant", delivered.Subject);
        Assert.Equal(environment.User.UserPrincipalName, delivered.Sender?.Address);
    }

    [Fact]
    public async Task Authenticate_DelegatedTokenNamingTheSharedMailbox_Returns5_7_3()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.GrantFullAccess(environment.User);
        environment.Shared.GrantSendAs(environment.User);
        using var client = await environment.ConnectSmtpAsync();

        // SMTP takes only the token's own user, even one with every right on the shared mailbox.
        var error = await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.UserToken()), TestContext.Current.CancellationToken));

        Assert.Contains("5.7.3 Authentication unsuccessful [localhost]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AppOnlyWithoutFullAccess_LogsInThenFailsSubmissionWith430()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.RevokeFullAccess(environment.App);
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, environment.UserMailbox.Address, "no rights"), TestContext.Current.CancellationToken));

        Assert.StartsWith("4.2.0 STOREDRV; mailbox logon failure;", error.Message, StringComparison.Ordinal);
        Assert.Empty(environment.UserMailbox.Messages);
    }

    [Fact]
    public async Task Send_AppOnlyAsAnotherMailbox_NeedsTheServicePrincipalsSendAs()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        var sales = environment.Directory.AddMailbox(environment.Tenant, "sales@contoso.onmicrosoft.com");
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        var denied = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(MailTestEnvironment.Message(sales.Address, environment.UserMailbox.Address, "as sales"), TestContext.Current.CancellationToken));
        sales.GrantSendAs(environment.App);
        await client.SendAsync(MailTestEnvironment.Message(sales.Address, environment.UserMailbox.Address, "as sales"), TestContext.Current.CancellationToken);

        Assert.Contains($"SendAsDenied; {environment.Shared.Address} not allowed to send as {sales.Address}", denied.Message, StringComparison.Ordinal);
        Assert.Single(environment.UserMailbox.Messages);
    }

    [Fact]
    public async Task Send_UnknownRecipientInTenantDomain_IsRefusedWith5_1_10()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, "nobody@contoso.onmicrosoft.com", "lost"), TestContext.Current.CancellationToken));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Contains("5.1.10 RESOLVER.ADR.RecipientNotFound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ExternalRecipient_IsAcceptedAndDropped()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectSmtpAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        await client.SendAsync(MailTestEnvironment.Message(environment.Shared.Address, "someone@example.org", "out"), TestContext.Current.CancellationToken);

        Assert.Single(environment.Shared.GetMessages(EmulatorMailbox.SentItems));
        Assert.All(environment.Directory.Mailboxes, m => Assert.Empty(m.Messages));
    }

    [Fact]
    public async Task Data_LargerThanLimit_Returns552()
    {
        await using var environment = await MailTestEnvironment.StartAsync(new EmulatorMailServerOptions { MaxMessageSize = 4096 });
        await using var raw = await RawMailClient.ConnectAsync(environment.Server.SmtpImplicitTlsPort, tls: true);
        await raw.ReadLineAsync();
        var initial = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user={environment.Shared.Address}\u0001auth=Bearer {environment.AppToken()}\u0001\u0001"));
        await raw.WriteAsync($"EHLO test\r\nAUTH XOAUTH2 {initial}\r\n");
        Assert.StartsWith("235 2.7.0", await raw.ReadUntilAsync("235"), StringComparison.Ordinal);

        await raw.WriteAsync($"MAIL FROM:<{environment.Shared.Address}>\r\nRCPT TO:<{environment.UserMailbox.Address}>\r\nDATA\r\n");
        await raw.ReadUntilAsync("354");
        await raw.WriteAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 70) + "\r\n", 100)) + ".\r\n");

        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await raw.ReadLineAsync());
        Assert.Empty(environment.UserMailbox.Messages);
    }
}
