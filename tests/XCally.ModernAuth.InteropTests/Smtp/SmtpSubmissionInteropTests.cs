using MailKit;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using XCally.ModernAuth.InteropTests.Clients;
using XCally.ModernAuth.InteropTests.Support;

namespace XCally.ModernAuth.InteropTests.Smtp;

/// <summary>SMTP submission to Postfix (STARTTLS, then SASL through Dovecot), delivered over LMTP into Dovecot's mailboxes.</summary>
[Collection(MailStackCollection.Name)]
public sealed class SmtpSubmissionInteropTests(MailStackFixture fixture)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    [Theory(Timeout = 90_000)]
    [InlineData(OAuthMechanism.XOAuth2)]
    [InlineData(OAuthMechanism.OAuthBearer)]
    public async Task Send_AfterStartTlsAndOAuth_ArrivesInRecipientInbox(OAuthMechanism mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = fixture.Endpoints.Mailbox($"smtp-sender-{mechanism}".ToLowerInvariant());
        var recipient = fixture.Endpoints.Mailbox($"smtp-recipient-{mechanism}".ToLowerInvariant());
        await using var host = await fixture.StartSignedInHostAsync(sender, recipient);
        var subject = $"Interop {mechanism} {Guid.NewGuid():N}";
        using var message = new MimeMessage(
            [MailboxAddress.Parse(sender)], [MailboxAddress.Parse(recipient)], subject, new TextPart("plain") { Text = "Hello over OAuth." });

        using (var smtp = await host.Clients.ConnectSmtpAsync(sender, mechanism, ct))
        {
            Assert.True(smtp.IsSecure);
            Assert.True(smtp.IsAuthenticated);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(quit: true, ct);
        }

        using var imap = await host.Clients.ConnectImapAsync(recipient, OAuthMechanism.XOAuth2, ct);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var arrived = await WaitForSubjectAsync(imap.Inbox, subject, ct);

        Assert.NotNull(arrived);
        Assert.Equal(sender, arrived.From.Mailboxes.Single().Address);
        Assert.Equal("Hello over OAuth.", arrived.TextBody?.Trim());
        Assert.Equal(2, host.AuthorizationCodeRedemptions);
        Assert.Equal(0, host.RefreshTokenRedemptions);
        await fixture.AssertPostfixLoggedAsync(sender, $"sasl_method={mechanism.ToString().ToUpperInvariant()}");
        await imap.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public Task Connect_ExpiredToken_NotSentAndRecoversWithOneFreshToken() =>
        TokenRefusalScenarios.ExpiredTokenNotSentAndRecoversWithOneFreshTokenAsync(
            fixture, fixture.Endpoints.Mailbox("smtp-expired"), (connector, mailbox, ct) => connector.ConnectSmtpAsync(mailbox, ct));

    [Fact(Timeout = 60_000)]
    public async Task Connect_TokenSignedByUnknownKey_ThrowsWithPostfixsResponse()
    {
        var refusal = await TokenRefusalScenarios.UnknownKeyRefusedAsync(
            fixture, fixture.Endpoints.Mailbox("smtp-unknown-key"), (connector, mailbox, ct) => connector.ConnectSmtpAsync(mailbox, ct));

        Assert.Equal(DovecotTexts.SmtpAuthenticationFailed, refusal.ServerResponse);
        Assert.Equal("5.7.8", refusal.ErrorCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_BeforeStartTls_OffersNoAuthentication()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewSmtpClient();

        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.SmtpPort, SecureSocketOptions.None, ct);

        Assert.False(client.IsSecure);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        Assert.Empty(client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_AfterStartTls_OffersOAuthMechanisms()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.MailKit.NewSmtpClient();

        await client.ConnectAsync(fixture.Endpoints.Host, fixture.Endpoints.SmtpPort, SecureSocketOptions.StartTls, ct);

        Assert.True(client.IsSecure);
        Assert.Contains("XOAUTH2", client.AuthenticationMechanisms);
        Assert.Contains("OAUTHBEARER", client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_RealSizeToken_Accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        var mailbox = fixture.Endpoints.Mailbox("smtp-real-size");
        var token = fixture.Minter.MintRealSize(mailbox);
        using var client = fixture.MailKit.NewSmtpClient();

        await DirectMailKitClients.ConnectAsync(client, fixture.SmtpStartTls, DirectMailKitClients.Sasl(OAuthMechanism.XOAuth2, mailbox, token), ct);

        Assert.True(token.Length > 2_500, $"The token has {token.Length} characters; a real-size one has more than 2,500.");
        Assert.True(client.IsAuthenticated);
        await client.DisconnectAsync(quit: true, ct);
    }

    // Postfix hands the message to Dovecot's LMTP asynchronously: poll, bounded.
    private static async Task<MimeMessage?> WaitForSubjectAsync(IMailFolder inbox, string subject, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DeliveryTimeout);
        try
        {
            while (true)
            {
                await inbox.CheckAsync(deadline.Token);
                var found = await inbox.SearchAsync(SearchQuery.SubjectContains(subject), deadline.Token);
                if (found.Count > 0)
                {
                    return await inbox.GetMessageAsync(found[0], deadline.Token);
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
