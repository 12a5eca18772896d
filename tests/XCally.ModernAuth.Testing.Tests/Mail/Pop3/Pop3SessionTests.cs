using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace XCally.ModernAuth.Testing.Tests.Mail.Pop3;

public class Pop3SessionTests
{
    [Fact]
    public async Task Retrieve_AppOnlyToken_ListsReadsAndDeletesOnQuit()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        environment.Shared.Deliver(MailTestEnvironment.Message("a@example.org", environment.Shared.Address, "first", ".dotted\r\nbody"));
        environment.Shared.Deliver(MailTestEnvironment.Message("b@example.org", environment.Shared.Address, "second"));
        using var client = await environment.ConnectPop3Async();

        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        Assert.Equal(2, client.Count);
        var uids = await client.GetMessageUidsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, uids.Distinct().Count());
        var sizes = await client.GetMessageSizesAsync(TestContext.Current.CancellationToken);
        Assert.All(sizes, size => Assert.True(size > 0));
        var first = await client.GetMessageAsync(0, TestContext.Current.CancellationToken);
        Assert.Equal("first", first.Subject);
        Assert.StartsWith(".dotted", first.TextBody, StringComparison.Ordinal);

        await client.DeleteMessageAsync(0, TestContext.Current.CancellationToken);
        await client.DisconnectAsync(true, TestContext.Current.CancellationToken);

        Assert.Equal("second", Assert.Single(environment.Shared.Messages).Subject);
    }

    [Fact]
    public async Task Authenticate_DelegatedOwnerWithOAuthBearer_Succeeds()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using var client = await environment.ConnectPop3Async();

        await client.AuthenticateAsync(new SaslMechanismOAuthBearer(environment.User.UserPrincipalName, environment.UserToken("POP.AccessAsUser.All")), TestContext.Current.CancellationToken);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(0, client.Count);
    }

    [Fact]
    public async Task Authenticate_DelegateOfSharedMailbox_OpensItOnlyWithFullAccess()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        using (var refused = await environment.ConnectPop3Async())
        {
            await Assert.ThrowsAsync<AuthenticationException>(() =>
                refused.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.UserToken()), TestContext.Current.CancellationToken));
        }

        environment.Shared.GrantFullAccess(environment.User);
        using var client = await environment.ConnectPop3Async();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.UserToken()), TestContext.Current.CancellationToken);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(new MailAuthenticationCounts(1, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Pop3));
    }

    [Theory]
    [InlineData("no-pop-role")]
    [InlineData("no-full-access")]
    [InlineData("expired")]
    public async Task Authenticate_Refused_ReturnsExchangeWords(string defect)
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        var token = defect == "no-pop-role" ? environment.AppToken(roles: [EmulatorApplication.ImapAccessAsApp]) : environment.AppToken(lifetime: TimeSpan.FromMinutes(60));
        if (defect == "no-full-access")
        {
            environment.Shared.RevokeFullAccess(environment.App);
        }

        if (defect == "expired")
        {
            environment.Time.Advance(TimeSpan.FromMinutes(61));
        }

        using var log = new MemoryStream();
        using var client = new Pop3Client(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", environment.Server.Pop3Port, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, token), TestContext.Current.CancellationToken));

        Assert.Contains("S: -ERR Authentication failure: unknown user name or bad password.", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        Assert.Equal(new MailAuthenticationCounts(0, 1), environment.Server.GetAuthenticationCounts(ModernAuth.MailProtocol.Pop3));
    }

    [Fact]
    public async Task Authenticate_BadBase64AndUserPass_AreRefused()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        await using var raw = await RawMailClient.ConnectAsync(environment.Server.Pop3Port, tls: true);
        Assert.Equal("+OK The Microsoft Exchange POP3 service is ready.", await raw.ReadLineAsync());

        await raw.WriteAsync("AUTH XOAUTH2 %%%not-base64%%%\r\n");
        Assert.Equal("-ERR Authentication failure: unknown user name or bad password.", await raw.ReadLineAsync());
        await raw.WriteAsync("AUTH XOAUTH2\r\n");
        Assert.Equal("+ ", await raw.ReadLineAsync());
        await raw.WriteAsync("dXNlcj14\r\n");
        Assert.Equal("-ERR Authentication failure: unknown user name or bad password.", await raw.ReadLineAsync());
        await raw.WriteAsync("USER support\r\nPASS secret\r\n");
        Assert.Equal("+OK", await raw.ReadLineAsync());
        Assert.Equal("-ERR Logon failure: unknown user name or bad password.", await raw.ReadLineAsync());
        await raw.WriteAsync("STAT\r\n");
        Assert.Equal("-ERR Command is not valid in this state.", await raw.ReadLineAsync());
    }
}
