using MailKit;
using MimeKit;

namespace XCally.ModernAuth.Testing.Tests.EndToEnd;

/// <summary>
/// Shared mailboxes with app-only tokens, end to end on the emulator: the account is the shared address, IMAP and POP3 log in to
/// it and SMTP sends as it with the application's identity, given the service principal's rights; without them each refusal names
/// the cmdlet, with the service principal as trustee.
/// </summary>
public class SharedMailboxAppOnlyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServicePrincipalWithFullAccess_ReadsAndSendsAsTheSharedMailbox()
    {
        await using var host = await EmulatorHost.StartAsync();
        var support = host.Emulator.Directory.FindMailbox(host.Support)!;
        var customer = host.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        support.Deliver(Message("Order 1", customer.Address, support.Address));
        var account = await host.AccountAsync(support.Address);

        using (var imap = await host.Connector.ConnectImapAsync(account, Ct))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
            Assert.Equal(1, imap.Inbox.Count);
        }

        using (var pop3 = await host.Connector.ConnectPop3Async(account, Ct))
        {
            Assert.Equal(1, pop3.Count);
        }

        using (var smtp = await host.Connector.ConnectSmtpAsync(account, Ct))
        {
            await smtp.SendAsync(Message("Re: Order 1", support.Address, customer.Address), Ct);
        }

        Assert.Equal(support.Address, account.SmtpUserName);
        Assert.Equal(support.Address, Assert.Single(customer.Messages).From.Mailboxes.Single().Address);
        Assert.Single(support.GetMessages(EmulatorMailbox.SentItems));
        Assert.Equal(1, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task ServicePrincipalWithoutRights_SmtpSubmissionsMailboxLogonFailureMappedToFullAccess()
    {
        await using var host = await EmulatorHost.StartAsync();
        var support = host.Emulator.Directory.FindMailbox(host.Support)!;
        support.RevokeFullAccess(host.Emulator.Application);
        var customer = host.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        using var smtp = await host.Connector.ConnectSmtpAsync(support.Address, Ct);

        // Exchange Online lets the application log in, then cannot open the mailbox for the submission.
        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(Message("Re: Order 1", support.Address, customer.Address), Ct));

        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.StartsWith("430 4.2.0 STOREDRV; mailbox logon failure;", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains($"Add-MailboxPermission -Identity {support.Address} -User <servicePrincipalId> -AccessRights FullAccess", error.Advice, StringComparison.Ordinal);
        Assert.Contains($"New-ServicePrincipal -AppId {host.Emulator.Application.ClientId}", error.Advice, StringComparison.Ordinal);
        Assert.Empty(customer.Messages);

        support.GrantFullAccess(host.Emulator.Application);
        await smtp.SendAsync(Message("Re: Order 1", support.Address, customer.Address), Ct);
        Assert.Single(customer.Messages);
    }

    [Fact]
    public async Task ServicePrincipalWithoutRights_ImapRefusedAsPermissionWithTheCmdlet()
    {
        await using var host = await EmulatorHost.StartAsync(emulatorOptions: options => options.Mail.RefuseAuthenticateWithoutFullAccess = true);
        host.Emulator.Directory.FindMailbox(host.Sales)!.RevokeFullAccess(host.Emulator.Application);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => host.Connector.ConnectImapAsync(host.Sales, Ct));

        // Exchange answers as for a bad token: one fresh token settles that it is the mailbox, reported with the service principal as trustee.
        Assert.Equal(ModernAuthErrorCategory.MailboxPermissionDenied, error.Category);
        Assert.Equal("NO AUTHENTICATE failed.", error.ServerResponse);
        Assert.Contains($"Add-MailboxPermission -Identity {host.Sales} -User <servicePrincipalId> -AccessRights FullAccess", error.Advice, StringComparison.Ordinal);
        Assert.Contains(host.Emulator.Application.ServicePrincipalId, error.Advice, StringComparison.Ordinal);
        Assert.Equal(2, host.Emulator.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task SendingAsAnotherMailbox_RefusedBeforeSendingUnlessTheCheckIsOffThenMappedToRecipientPermission()
    {
        await using var host = await EmulatorHost.StartAsync(builder => builder.ConfigureMailConnector(o => o.VerifySender = false));
        var customer = host.Emulator.AddMailbox("alex@fabrikam.example", grantFullAccess: false);
        using var smtp = await host.Connector.ConnectSmtpAsync(host.Support, Ct);

        var error = await Assert.ThrowsAsync<ModernAuthException>(() => smtp.SendAsync(Message("As sales", host.Sales, customer.Address), Ct));

        Assert.Equal(ModernAuthErrorCategory.SendAsDenied, error.Category);
        Assert.Contains($"{host.Support} not allowed to send as {host.Sales}", error.ServerResponse, StringComparison.Ordinal);
        Assert.Contains($"Add-RecipientPermission -Identity {host.Sales} -Trustee <servicePrincipalId> -AccessRights SendAs", error.Advice, StringComparison.Ordinal);
        Assert.Empty(customer.Messages);

        // With the service principal's Send As on sales, the same message goes.
        host.Emulator.GrantSendAs("sales", host.Emulator.Application);
        await smtp.SendAsync(Message("As sales", host.Sales, customer.Address), Ct);
        Assert.Equal(host.Sales, Assert.Single(customer.Messages).From.Mailboxes.Single().Address);
    }

    private static MimeMessage Message(string subject, string from, string to)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Hello." } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }
}
