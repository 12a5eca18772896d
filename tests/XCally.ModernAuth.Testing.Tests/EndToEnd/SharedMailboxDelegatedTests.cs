using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// Shared mailboxes served by an agent's delegated sign-in, end to end on the emulator: the agent signs in once, IMAP and POP3
/// log in to each shared mailbox with the agent's token, SMTP logs in as the agent and sends from the shared address; every
/// missing right is reported with the cmdlet that grants it, without costing a token request.
/// </summary>
public class SharedMailboxDelegatedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentSignedInOnce_ReadsTwoSharedMailboxesOverImapAndPop3AndSendsAsEach()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        var host = environment.StartHost();
        support.Deliver(Customer("Order 1", support.Address));
        sales.Deliver(Customer("Quote 7", sales.Address));

        var authorized = await host.SignInAsync(support.Address);

        Assert.Equal(environment.Agent, authorized.SignedInUser, ignoreCase: true);
        Assert.True(await host.Authorization.IsAuthorizedAsync(await host.AccountAsync(sales.Address), Ct));
        var customer = environment.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        foreach (var (shared, subject) in new[] { (support, "Order 1"), (sales, "Quote 7") })
        {
            using (var imap = await host.Connector.ConnectImapAsync(shared.Address, Ct))
            {
                await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
                Assert.Single(await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject), Ct));
                await imap.DisconnectAsync(true, Ct);
            }

            using (var pop3 = await host.Connector.ConnectPop3Async(shared.Address, Ct))
            {
                Assert.Equal(1, pop3.Count);
                await pop3.DisconnectAsync(true, Ct);
            }

            var account = await host.AccountAsync(shared.Address);
            using var smtp = await host.Connector.ConnectSmtpAsync(account, Ct);
            var reply = new MimeMessage { Subject = "Re: " + subject, Body = new TextPart("plain") { Text = "On it." } };
            reply.To.Add(MailboxAddress.Parse(customer.Address));
            await smtp.SendAsync(reply.SetFromAccount(account), Ct);
            await smtp.DisconnectAsync(true, Ct);
        }

        // Every reply is from its shared mailbox, sent with Send As (no Sender), and kept in that mailbox's Sent Items.
        Assert.Equal([support.Address, sales.Address], customer.Messages.Select(m => m.From.Mailboxes.Single().Address));
        Assert.All(customer.Messages, m => Assert.Null(m.Sender));
        Assert.Single(support.GetMessages(EmulatorMailbox.SentItems));
        Assert.Single(sales.GetMessages(EmulatorMailbox.SentItems));

        // One sign-in, one token: the authorization code's; no refresh, and the same token for both mailboxes.
        var counters = environment.Emulator.Identity.Counters;
        Assert.Equal(1, counters.AuthorizeRequests);
        Assert.Equal(1, counters.TokenRequestsForGrantType("authorization_code"));
        Assert.Equal(0, counters.TokenRequestsForGrantType("refresh_token"));
        Assert.Equal((await host.TokenAsync(support.Address)).Token, (await host.TokenAsync(sales.Address)).Token);
        Assert.Equal(new MailAuthenticationCounts(2, 0), environment.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap));
        Assert.Equal(new MailAuthenticationCounts(2, 0), environment.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp));
    }

    [Fact]
    public async Task InvalidateAsync_ThroughOneSharedAccount_OneRefreshServesTheAgentsEveryAccount()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        var host = environment.StartHost();
        await host.SignInAsync(environment.Agent);
        var signedIn = await Task.WhenAll(new[] { environment.Agent, support.Address, sales.Address }.Select(host.TokenAsync));

        // The agent's own account and both shared ones share one sign-in and one token slot: what one drops, all replace at once.
        await host.Tokens.InvalidateAsync(await host.AccountAsync(support.Address), MailProtocol.Imap, signedIn[1], Ct);
        var refreshed = await Task.WhenAll(new[] { sales.Address, environment.Agent, support.Address }.Select(host.TokenAsync));

        Assert.Single(signedIn.Select(t => t.Token).Distinct());
        Assert.Single(refreshed.Select(t => t.Token).Distinct());
        Assert.NotEqual(signedIn[0].Token, refreshed[0].Token);
        Assert.Equal(1, environment.Emulator.Identity.Counters.TokenRequestsForGrantType("refresh_token"));
        Assert.Single(System.IO.Directory.GetFiles(environment.CacheFolder, "*.bin"));
    }

    [Fact]
    public async Task WithoutFullAccess_ImapAndPop3RefusedAsPermissionWithTheCmdlet_NoTokenRequested()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        var host = environment.StartHost();
        await host.SignInAsync(support.Address);
        sales.RevokeFullAccess(environment.AgentUser);
        var tokensBefore = environment.Emulator.Identity.Counters.TokenRequests;

        var imap = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(sales.Address, Ct));
        var pop3 = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectPop3Async(sales.Address, Ct));

        Assert.Equal("NO AUTHENTICATE failed.", imap.ServerResponse);
        Assert.Contains("Authentication failure", pop3.ServerResponse, StringComparison.Ordinal);
        Assert.All(new[] { imap, pop3 }, error =>
        {
            Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
            Assert.Equal(sales.Address, error.AccountAddress);
            Assert.Contains($"signed in as {environment.Agent}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"Add-MailboxPermission -Identity {sales.Address} -User {environment.Agent} -AccessRights FullAccess -AutoMapping $false", error.Advice, StringComparison.Ordinal);
        });

        // Once a refusal, never a token request: the agent's token is sound and keeps serving support.
        Assert.Equal(tokensBefore, environment.Emulator.Identity.Counters.TokenRequests);
        Assert.Equal(new MailAuthenticationCounts(0, 1), environment.Emulator.Mail.GetAuthenticationCounts(MailProtocol.Imap));
        using var stillServed = await host.Connector.ConnectImapAsync(support.Address, Ct);
        Assert.True(stillServed.IsAuthenticated);
    }

    [Fact]
    public async Task MessageFromAnotherAddress_ConnectorRefusesBeforeSending()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        var host = environment.StartHost();
        await host.SignInAsync(support.Address);
        var customer = environment.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        using var smtp = await host.Connector.ConnectSmtpAsync(support.Address, Ct);
        var message = Customer("From the wrong mailbox", customer.Address);
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(sales.Address));

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(message, Ct));

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, error.Category);
        Assert.Contains($"The message's From is '{sales.Address}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.Contains("SetFromAccount", error.Advice, StringComparison.Ordinal);
        Assert.Empty(customer.Messages);
        Assert.True(smtp.IsConnected);
    }

    [Fact]
    public async Task WithoutSendAs_ExchangesSendAsDeniedMappedToTheRecipientPermissionCmdlet()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, _) = Grant(environment, sendAs: false);
        var host = environment.StartHost();
        await host.SignInAsync(support.Address);
        var customer = environment.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        var account = await host.AccountAsync(support.Address);
        using var smtp = await host.Connector.ConnectSmtpAsync(account, Ct);

        // The account sends as support (its configuration), but the agent was never given Send As: Exchange refuses at submission.
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(Customer("Reply", customer.Address).SetFromAccount(account), Ct));

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, error.Category);
        Assert.Equal("5.2.252", error.ErrorCode);
        Assert.StartsWith($"554 5.2.252 SendAsDenied; {environment.Agent} not allowed to send as {support.Address};", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains($"Add-RecipientPermission -Identity {support.Address} -Trustee {environment.Agent} -AccessRights SendAs", error.Advice, StringComparison.Ordinal);
        Assert.Contains("-GrantSendOnBehalfTo", error.Advice, StringComparison.Ordinal);
        Assert.IsType<MailKit.Net.Smtp.SmtpCommandException>(error.InnerException);
        Assert.Empty(customer.Messages);
    }

    [Fact]
    public async Task SentAnywayWithTheCheckOff_EmulatorsSendAsDeniedIsMappedForTheFromAddress()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        sales.RevokeSendAs(environment.AgentUser);
        var host = environment.StartHost(builder => builder.ConfigureMailConnector(options => options.VerifySender = false));
        await host.SignInAsync(support.Address);
        var customer = environment.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        using var smtp = await host.Connector.ConnectSmtpAsync(support.Address, Ct);
        var message = Customer("As sales through support", customer.Address);
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(sales.Address));

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(message, Ct));

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, error.Category);
        Assert.Contains($"not allowed to send as {sales.Address}", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains($"Add-RecipientPermission -Identity {sales.Address} -Trustee {environment.Agent}", error.Advice, StringComparison.Ordinal);
        Assert.Empty(customer.Messages);
    }

    [Fact]
    public async Task SendOnBehalf_MessageNeedsTheAgentAsSender_ThenDeliveredOnBehalf()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var support = environment.Emulator.GrantFullAccess("support", environment.AgentUser);
        support.GrantSendOnBehalf(environment.AgentUser);
        var host = environment.StartHost();
        await host.SignInAsync(support.Address);
        var customer = environment.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        var account = await host.AccountAsync(support.Address);
        Assert.Equal(SendPermission.SendOnBehalf, account.SendPermission);
        using var smtp = await host.Connector.ConnectSmtpAsync(account, Ct);

        var missing = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(Customer("No sender", customer.Address, from: support.Address), Ct));
        await smtp.SendAsync(Customer("On behalf", customer.Address).SetFromAccount(account), Ct);

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, missing.Category);
        Assert.Contains($"Sender: {environment.Agent}", missing.Message, StringComparison.Ordinal);
        var delivered = Assert.Single(customer.Messages);
        Assert.Equal("On behalf", delivered.Subject);
        Assert.Equal(support.Address, delivered.From.Mailboxes.Single().Address);
        Assert.Equal(environment.Agent, delivered.Sender?.Address);
    }

    [Fact]
    public async Task SignInAsAnotherUser_RefusedForTheSharedMailboxAndNotStored()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, _) = Grant(environment, sendAs: true);
        var host = environment.StartHost();

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.SignInAsync(support.Address, loginHint: environment.Clerk));

        Assert.Equal(ModernAuthErrorCategory.WrongUserSignedIn, error.Category);
        Assert.Contains($"not as '{environment.Agent}', whose sign-in serves this shared mailbox", error.Message, StringComparison.Ordinal);
        Assert.False(await host.Authorization.IsAuthorizedAsync(await host.AccountAsync(support.Address), Ct));
    }

    [Fact]
    public async Task RevokeAsync_OneSharedAccount_ForgetsTheAgentsSignInForEveryAccountItServes()
    {
        await using var environment = await DelegatedEnvironment.StartAsync();
        var (support, sales) = Grant(environment, sendAs: true);
        var host = environment.StartHost();
        await host.SignInAsync(sales.Address);
        await host.TokenAsync(support.Address);

        await host.Authorization.RevokeAsync(await host.AccountAsync(support.Address), Ct);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.TokenAsync(sales.Address));
        Assert.Equal(ModernAuthErrorCategory.ReauthorizationRequired, error.Category);
        Assert.Equal(sales.Address, error.AccountAddress);
        Assert.Contains($"sign in again as '{environment.Agent}'", error.Advice, StringComparison.Ordinal);
    }

    // support and sales, shared mailboxes of the emulator, opened by the agent; Send As on both when asked.
    private static (EmulatorMailbox Support, EmulatorMailbox Sales) Grant(DelegatedEnvironment environment, bool sendAs)
    {
        var support = environment.Emulator.GrantFullAccess("support", environment.AgentUser);
        var sales = environment.Emulator.GrantFullAccess("sales", environment.AgentUser);
        if (sendAs)
        {
            environment.Emulator.GrantSendAs("support", environment.AgentUser);
            environment.Emulator.GrantSendAs("sales", environment.AgentUser);
        }

        return (support, sales);
    }

    private static MimeMessage Customer(string subject, string to, string from = "alex@fabrikam.example")
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Hello." } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }
}
