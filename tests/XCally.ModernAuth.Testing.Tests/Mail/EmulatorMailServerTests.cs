using System.Text;
using MailKit.Security;
using XCally.ModernAuth;

namespace XCally.ModernAuth.Testing.Tests.Mail;

public class EmulatorMailServerTests
{
    [Fact]
    public async Task GetEndpoint_EachProtocol_ReturnsLoopbackWithExchangeTls()
    {
        await using var environment = await MailTestEnvironment.StartAsync();
        var server = environment.Server;

        Assert.Equal(new MailEndpoint("127.0.0.1", server.ImapPort, MailTlsMode.Implicit), server.GetEndpoint(MailProtocol.Imap));
        Assert.Equal(new MailEndpoint("127.0.0.1", server.Pop3Port, MailTlsMode.Implicit), server.GetEndpoint(MailProtocol.Pop3));
        Assert.Equal(new MailEndpoint("127.0.0.1", server.SmtpPort, MailTlsMode.StartTls), server.GetEndpoint(MailProtocol.Smtp));
        Assert.Equal(server.SmtpImplicitTlsPort, server.GetEndpoint(MailProtocol.Smtp, MailTlsMode.Implicit).Port);
        Assert.Throws<ArgumentOutOfRangeException>(() => server.GetEndpoint(MailProtocol.Imap, MailTlsMode.None));
        Assert.Equal(6, new[] { server.ImapPort, server.ImapStartTlsPort, server.Pop3Port, server.Pop3StartTlsPort, server.SmtpPort, server.SmtpImplicitTlsPort }.Distinct().Count());
    }

    [Fact]
    public async Task Connect_BeyondMaxConnections_IsRefusedAtTheGreeting()
    {
        await using var environment = await MailTestEnvironment.StartAsync(new EmulatorMailServerOptions { MaxConnections = 2 });
        await using var first = await RawMailClient.ConnectAsync(environment.Server.SmtpPort, tls: false);
        await using var second = await RawMailClient.ConnectAsync(environment.Server.SmtpPort, tls: false);
        Assert.StartsWith("220 ", await first.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("220 ", await second.ReadLineAsync(), StringComparison.Ordinal);

        await using (var third = await RawMailClient.ConnectAsync(environment.Server.SmtpPort, tls: false))
        {
            Assert.Equal("421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel", await third.ReadLineAsync());
            Assert.True(await third.ReadToCloseAsync());
        }

        await first.WriteAsync("QUIT\r\n");
        Assert.StartsWith("221 ", await first.ReadLineAsync(), StringComparison.Ordinal);
        await WaitUntilAsync(() => environment.Server.ActiveConnections < 2);
        using var client = await environment.ConnectSmtpAsync();
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Session_OlderThanMaxSessionAge_IsDropped()
    {
        await using var environment = await MailTestEnvironment.StartAsync(new EmulatorMailServerOptions { MaxSessionAge = TimeSpan.FromMinutes(10) });
        using var client = await environment.ConnectImapAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);

        environment.Time.Advance(TimeSpan.FromMinutes(11));
        await WaitUntilAsync(() => environment.Server.ActiveConnections == 0);

        await Assert.ThrowsAnyAsync<Exception>(() => client.NoOpAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fuzz_GarbageOnEveryPort_ServerStaysHealthy()
    {
        await using var environment = await MailTestEnvironment.StartAsync(new EmulatorMailServerOptions
        {
            MaxConnections = 16,
            MaxMessageSize = 64 * 1024,
            ReadTimeout = TimeSpan.FromSeconds(3),
            MaxBadCommands = 5,
        });
        var server = environment.Server;
        var random = new Random(20250301);
        var ports = new (int Port, bool Tls, string Auth)[]
        {
            (server.ImapPort, true, "a1 AUTHENTICATE XOAUTH2 "),
            (server.ImapStartTlsPort, false, "a1 AUTHENTICATE XOAUTH2 "),
            (server.Pop3Port, true, "AUTH XOAUTH2 "),
            (server.Pop3StartTlsPort, false, "AUTH XOAUTH2 "),
            (server.SmtpPort, false, "EHLO x\r\nAUTH XOAUTH2 "),
            (server.SmtpImplicitTlsPort, true, "EHLO x\r\nAUTH XOAUTH2 "),
        };

        foreach (var (port, tls, auth) in ports)
        {
            for (var round = 0; round < 6; round++)
            {
                await using var raw = await RawMailClient.ConnectAsync(port, tls);
                var payload = (round % 6) switch
                {
                    0 => RandomBytes(random, 4096),
                    1 => Encoding.Latin1.GetBytes(new string('A', 100_000) + "\r\nNOOP\r\n"),
                    2 => Encoding.Latin1.GetBytes("x1 APPEND INBOX {2147483647+}\r\nx2 LOGIN {99999999999}\r\n"),
                    3 => Encoding.Latin1.GetBytes(auth + "!!!not*base64!!!\r\n" + auth + Convert.ToBase64String(RandomBytes(random, 300)) + "\r\n"),
                    4 => Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat("((((((((((((((((((((((((\"\\\r\n)))) {5}\r\n* BAD\r\n", 20))),
                    _ => [],
                };
                Assert.NotNull(await raw.ReadLineAsync());
                try
                {
                    // Round 5 sends nothing: a half-open connection the read timeout must reap.
                    await raw.WriteAsync(payload);
                }
                catch (IOException)
                {
                    // The server may hang up while garbage is still being sent.
                }
            }
        }

        // Garbage straight into the TLS handshake of the implicit-TLS ports.
        foreach (var port in new[] { server.ImapPort, server.Pop3Port, server.SmtpImplicitTlsPort })
        {
            await using var raw = await RawMailClient.ConnectAsync(port, tls: false);
            await raw.WriteAsync(RandomBytes(random, 2048));
            Assert.True(await raw.ReadToCloseAsync());
        }

        // Many connections beyond the limit at once.
        var flood = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try
            {
                return await RawMailClient.ConnectAsync(server.SmtpPort, tls: false);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return null; // Far beyond the limit the server resets the connection at once.
            }
        }));
        foreach (var connection in flood)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        await WaitUntilAsync(() => server.ActiveConnections == 0);

        // A well-behaved client on each protocol still gets in.
        environment.Shared.Deliver(MailTestEnvironment.Message("a@example.org", environment.Shared.Address, "after the storm"));
        using var imap = await environment.ConnectImapAsync();
        await imap.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        await imap.Inbox!.OpenAsync(MailKit.FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        Assert.Equal(1, imap.Inbox.Count);
        using var pop3 = await environment.ConnectPop3Async();
        await pop3.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        Assert.Equal(1, pop3.Count);
        using var smtp = await environment.ConnectSmtpAsync();
        await smtp.AuthenticateAsync(new SaslMechanismOAuth2(environment.Shared.Address, environment.AppToken()), TestContext.Current.CancellationToken);
        Assert.Equal(0, server.FaultedSessions);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 800 && !condition(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
