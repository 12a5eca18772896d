using System.Net;
using System.Net.Sockets;
using MailKit.Net.Proxy;
using Moq;
using XCally.ModernAuth.Tests.Mail.Fakes;

namespace XCally.ModernAuth.Tests.Mail;

/// <summary>
/// Network and TLS failures at mail connect become <see cref="ModernAuthException"/>s that name the endpoint, the cause and the fix;
/// the mail protocols go through a proxy when one is set; a private CA's root can be trusted without trusting everything.
/// </summary>
public class MailConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectImapAsync_UntrustedCertificate_ThrowsInsecureConnectionNamingTheTrustSettings()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens();

        // System validation: the scripted server's self-signed certificate is trusted by nobody.
        var ex = await Assert.ThrowsAsync<ModernAuthException>(() =>
            MailClientConnectorTests.Connector(tokens, account, o => o.ServerCertificateValidationCallback = null).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
        Assert.Contains("does not trust", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CN=scripted-mail-server", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TrustedRootCertificates", ex.Advice, StringComparison.Ordinal);
        Assert.Contains("ServerCertificateValidationCallback", ex.Advice, StringComparison.Ordinal);
        Assert.IsType<MailKit.Security.SslHandshakeException>(ex.InnerException);
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_ImplicitTlsOnPlainTextPort_ThrowsNetworkErrorNamingTlsMode()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: false, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port, imapTls: MailTlsMode.Implicit);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(MailTestData.Tokens(), account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.NetworkError, ex.Category);
        Assert.Contains("TLS handshake", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TlsMode", ex.Advice, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task ConnectImapAsync_NothingListening_ThrowsNetworkErrorWithSocketCause()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var account = MailTestData.Account(port);

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(MailTestData.Tokens(), account).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.NetworkError, ex.Category);
        Assert.Contains("connection refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ProxyClient", ex.Advice, StringComparison.Ordinal);
        Assert.IsAssignableFrom<SocketException>(ex.InnerException);
    }

    [Fact]
    public async Task ConnectImapAsync_HttpConnectProxy_ConnectsThroughItAndSignsIn()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        await using var proxy = new HttpConnectProxy();
        var account = MailTestData.Account(server.Port);

        using var client = await MailClientConnectorTests.Connector(MailTestData.Tokens("token"), account, o => o.ProxyClient = new HttpProxyClient("127.0.0.1", proxy.Port))
            .ConnectImapAsync(account, Ct);

        Assert.True(client.IsAuthenticated);
        Assert.Equal([$"127.0.0.1:{server.Port}"], proxy.Targets);
    }

    [Fact]
    public async Task ConnectImapAsync_ProxySelector_PicksTheProxyPerAccount()
    {
        await using var server = ScriptedMailServer.Start(implicitTls: true, MailDialogues.Imap());
        await using var proxy = new HttpConnectProxy();
        var account = MailTestData.Account(server.Port);
        var asked = new List<(string, MailProtocol)>();

        using var client = await MailClientConnectorTests.Connector(MailTestData.Tokens("token"), account, o =>
            {
                o.ProxyClient = new HttpProxyClient("127.0.0.1", 1);
                o.ProxySelector = (a, p) =>
                {
                    asked.Add((a.Address, p));
                    return new HttpProxyClient("127.0.0.1", proxy.Port);
                };
            })
            .ConnectImapAsync(account, Ct);

        Assert.Equal([(MailTestData.Address, MailProtocol.Imap)], asked);
        Assert.Single(proxy.Targets);
    }

    [Fact]
    public async Task ConnectImapAsync_ProxyRefusesTarget_ThrowsNetworkErrorNamingTheProxy()
    {
        await using var proxy = new HttpConnectProxy();
        var account = MailTestData.Account(993, host: "mail.contoso.test");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() =>
            MailClientConnectorTests.Connector(MailTestData.Tokens(), account, o => o.ProxyClient = new HttpProxyClient("127.0.0.1", proxy.Port)).ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.NetworkError, ex.Category);
        Assert.Contains($"127.0.0.1:{proxy.Port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectImapAsync_ServerCertificateFromTrustedPrivateRoot_SignsIn()
    {
        using var ca = new TestCertificateAuthority("Contoso Private Root");
        using var certificate = ca.IssueServer();
        await using var server = ScriptedMailServer.StartWith(certificate, implicitTls: true, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);

        using var client = await MailClientConnectorTests.Connector(MailTestData.Tokens("token"), account, o =>
            {
                o.ServerCertificateValidationCallback = null;
                o.TrustedRootCertificates.Add(ca.Root);
            })
            .ConnectImapAsync(account, Ct);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectImapAsync_ServerCertificateFromAnotherPrivateRoot_ThrowsInsecureConnection()
    {
        using var trusted = new TestCertificateAuthority("Contoso Private Root");
        using var other = new TestCertificateAuthority("Fabrikam Root");
        using var certificate = other.IssueServer();
        await using var server = ScriptedMailServer.StartWith(certificate, implicitTls: true, MailDialogues.Imap());
        var account = MailTestData.Account(server.Port);
        var tokens = MailTestData.Tokens();

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(tokens, account, o =>
            {
                o.ServerCertificateValidationCallback = null;
                o.TrustedRootCertificates.Add(trusted.Root);
            })
            .ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
        Assert.Contains("Fabrikam Root", ex.Message, StringComparison.Ordinal);
        tokens.Verify(p => p.GetAccessTokenAsync(It.IsAny<EmailAccount>(), It.IsAny<MailProtocol>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConnectImapAsync_PrivateRootButWrongHostName_ThrowsInsecureConnection()
    {
        using var ca = new TestCertificateAuthority("Contoso Private Root");
        using var certificate = ca.IssueServer("relay.contoso.test");
        await using var server = ScriptedMailServer.StartWith(certificate, implicitTls: true, MailDialogues.Imap());

        // The certificate names relay.contoso.test and 127.0.0.1; the account connects to "localhost", which it does not name.
        var account = MailTestData.Account(server.Port, host: "localhost");

        var ex = await Assert.ThrowsAsync<ModernAuthException>(() => MailClientConnectorTests.Connector(MailTestData.Tokens(), account, o =>
            {
                o.ServerCertificateValidationCallback = null;
                o.TrustedRootCertificates.Add(ca.Root);
            })
            .ConnectImapAsync(account, Ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, ex.Category);
    }
}
