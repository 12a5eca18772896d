using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace XCally.ModernAuth.InteropTests.Security;

/// <summary>
/// No bearer token over a connection without TLS, as the SDK does it against the real servers: on a plain port the connector
/// upgrades with STARTTLS (or STLS) before it signs in, and the extension methods refuse a client that is not protected by TLS
/// even when the server offers XOAUTH2 in clear text, before asking for a token.
/// </summary>
/// <remarks>
/// Dovecot treats a peer whose address equals its own listening address as secure, so a client on 127.0.0.1 is offered AUTH in
/// clear text on the plain ports: the case where only the SDK stands between the token and the wire.
/// </remarks>
[Collection(MailStackCollection.Name)]
public sealed class ClearTextInteropTests(MailStackFixture fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task Connector_PlainImapPortWithStartTls_SignsInOnlyAfterTheUpgrade()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("starttls-imap");
        await using var host = await fixture.StartSignedInHostAsync(mailbox);
        var account = await PlainPortAccountAsync(host, mailbox, imap: new MailEndpoint(fixture.Endpoints.Host, fixture.Endpoints.ImapPort, MailTlsMode.StartTls));

        using var client = await host.Connector.ConnectImapAsync(account, ct);

        Assert.True(client.IsSecure);
        Assert.True(client.IsAuthenticated);
        await AssertLoggedInOverTlsAsync("imap-login", mailbox);
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connector_PlainPop3PortWithStartTls_SignsInOnlyAfterTheUpgrade()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("stls-pop3");
        await using var host = await fixture.StartSignedInHostAsync(mailbox);
        var account = await PlainPortAccountAsync(host, mailbox, pop3: new MailEndpoint(fixture.Endpoints.Host, fixture.Endpoints.Pop3Port, MailTlsMode.StartTls));

        using var client = await host.Connector.ConnectPop3Async(account, ct);

        Assert.True(client.IsSecure);
        Assert.True(client.IsAuthenticated);
        await AssertLoggedInOverTlsAsync("pop3-login", mailbox);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>
    /// Dovecot offers XOAUTH2 on its plain IMAP port to a client on its own address; the SDK's AuthenticateAsync still refuses,
    /// before it asks for a token (nobody is signed in: asking would have failed with ReauthorizationRequired instead), and Dovecot
    /// never sees an AUTHENTICATE.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task AuthenticateAsync_ServerOffersXOAuth2InClearText_RefusedBeforeRequestingAToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("clear-text-offered");
        await using var host = fixture.StartHost(mailbox);
        var account = await host.AccountAsync(mailbox);
        using var client = fixture.MailKit.NewImapClient();
        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.ImapPort, SecureSocketOptions.None, ct);
        Assert.False(client.IsSecure);
        Assert.Contains("XOAUTH2", client.AuthenticationMechanisms);

        var refusal = await Assert.ThrowsAsync<ModernAuthException>(() => client.AuthenticateAsync(account, host.TokenProvider, ct));

        Assert.Equal(ModernAuthErrorCategory.InsecureConnection, refusal.Category);
        Assert.Contains("not protected by TLS", refusal.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
        Assert.False(client.IsAuthenticated);
        await client.DisconnectAsync(quit: true, ct);
        Assert.DoesNotContain(fixture.Stack.ReadDovecotLog().Split('\n'), line => line.Contains(mailbox, StringComparison.Ordinal));
        Assert.Equal(0, host.RefreshTokenRedemptions);
    }

    private static async Task<EmailAccount> PlainPortAccountAsync(Hosting.InteropHost host, string mailbox, MailEndpoint? imap = null, MailEndpoint? pop3 = null)
    {
        var configured = await host.AccountAsync(mailbox);
        var provider = await host.CloudProviders.FindAsync(configured.CloudProviderName, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("The host has no cloud provider.");
        var options = new EmailAccountOptions { Address = configured.Address, CloudProvider = configured.CloudProviderName };
        Set(options.Imap, imap ?? configured.Imap!);
        Set(options.Pop3, pop3 ?? configured.Pop3!);
        Set(options.Smtp, configured.Smtp!);
        return EmailAccount.Create(options, provider);
    }

    private static void Set(MailEndpointOptions options, MailEndpoint endpoint)
    {
        options.Host = endpoint.Host;
        options.Port = endpoint.Port;
        options.TlsMode = endpoint.TlsMode;
    }

    // Dovecot's login line names the mechanism and, for a protected connection, "TLS".
    private Task AssertLoggedInOverTlsAsync(string service, string mailbox) =>
        fixture.AssertDovecotLoggedAsync(mailbox, line =>
            line.Contains($"{service}: Info: Login: user=<{mailbox}>, method=XOAUTH2", StringComparison.Ordinal)
            && line.Contains(", TLS,", StringComparison.Ordinal));
}
