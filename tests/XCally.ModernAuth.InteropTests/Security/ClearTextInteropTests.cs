using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using XCally.ModernAuth.InteropTests.Clients;

namespace XCally.ModernAuth.InteropTests.Security;

/// <summary>
/// No bearer token over a connection without TLS: the real servers do not offer AUTH before TLS, and our side refuses a
/// clear-text endpoint before sending anything.
/// </summary>
/// <remarks>
/// Dovecot treats a peer whose address equals its own listening address as secure (so 127.0.0.1 → 127.0.0.1 would be offered
/// AUTH in clear text); these tests connect from 127.0.0.2 to see what any remote client sees.
/// </remarks>
[Collection(MailStackCollection.Name)]
public sealed class ClearTextInteropTests(MailStackFixture fixture)
{
    private static readonly IPAddress OtherLoopback = IPAddress.Parse("127.0.0.2");

    [Fact(Timeout = 60_000)]
    public async Task Imap_PlainPortBeforeStartTls_OffersNoAuthentication()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewImapClient(OtherLoopback);

        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.ImapPort, SecureSocketOptions.None, ct);

        Assert.False(client.IsSecure);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.StartTLS));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.LoginDisabled));
        Assert.Empty(client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Pop3_PlainPortBeforeStls_OffersNoAuthentication()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewPop3Client(OtherLoopback);

        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.Pop3Port, SecureSocketOptions.None, ct);

        Assert.False(client.IsSecure);
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.StartTLS));
        Assert.Empty(client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Imap_PlainPortAfterStartTls_OffersOAuthMechanisms()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewImapClient(OtherLoopback);

        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.ImapPort, SecureSocketOptions.StartTls, ct);

        Assert.True(client.IsSecure);
        Assert.Contains("XOAUTH2", client.AuthenticationMechanisms);
        Assert.Contains("OAUTHBEARER", client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>
    /// A clear-text IMAP server that offers XOAUTH2 but not STARTTLS (what a man in the middle who strips STARTTLS looks like): an
    /// account whose endpoint requires STARTTLS gets <see cref="ModernAuthErrorCategory.InsecureConnection"/> from the connector,
    /// and the server never sees an AUTHENTICATE, nor a token. Nobody is signed in: had the connector asked the SDK's token
    /// provider for a token before checking the connection, it would have failed with
    /// <see cref="ModernAuthErrorCategory.ReauthorizationRequired"/> instead.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task Connector_ClearTextEndpoint_RefusesBeforeSendingAnything()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("clear-text");
        await using var host = fixture.StartHost(mailbox);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = RecordClearTextImapAsync(listener, ct);
        var account = EmailAccount.Create(
            new EmailAccountOptions { Address = mailbox, CloudProvider = MailStackFixture.CloudProviderName, Imap = { Host = "127.0.0.1", Port = port, TlsMode = MailTlsMode.StartTls } },
            await CloudProviderAsync(host));

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(account, ct));
        listener.Stop();
        var sent = await received;

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, refusal.Category);
        Assert.DoesNotContain("AUTHENTICATE", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("LOGIN", sent, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first line of defence: an account whose endpoint has no TLS at all cannot even be made.</summary>
    [Fact(Timeout = 60_000)]
    public async Task EmailAccount_TlsModeNone_RefusedByValidation()
    {
        var mailbox = fixture.Endpoints.Mailbox("clear-text-config");
        await using var host = fixture.StartHost(mailbox);
        var provider = await CloudProviderAsync(host);

        var refusal = Assert.Throws<ModernAuthException>(() => EmailAccount.Create(
            new EmailAccountOptions { Address = mailbox, CloudProvider = MailStackFixture.CloudProviderName, Imap = { Host = "127.0.0.1", Port = fixture.Endpoints.ImapPort, TlsMode = MailTlsMode.None } },
            provider));

        Assert.Equal(ModernAuthErrorCategory.InvalidConfiguration, refusal.Category);
        Assert.Contains("TlsMode", refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<CloudProvider> CloudProviderAsync(Hosting.InteropHost host) =>
        await host.CloudProviders.FindAsync(MailStackFixture.CloudProviderName, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("The host has no cloud provider.");

    // A clear-text IMAP server advertising XOAUTH2: greets each client and records what it sends until it hangs up.
    private static async Task<string> RecordClearTextImapAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        try
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken);
            await using var stream = client.GetStream();
            await stream.WriteAsync("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[4096];
            int read;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                await stream.WriteAsync("* BAD not a real server\r\n"u8.ToArray(), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The listener was stopped (nobody connected) or the client hung up.
        }

        return text.ToString();
    }
}
