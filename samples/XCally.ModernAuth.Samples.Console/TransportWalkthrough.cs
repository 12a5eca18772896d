using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Console;

/// <summary>
/// The mail channel's path through <see cref="IMailTransport"/> (one abstraction whatever carries the mail):
/// <c>--transport graph</c> sends by Graph <c>sendMail</c> and reads back by Graph delta; <c>--transport auto</c> sends by SMTP
/// until the tenant refuses SMTP AUTH (<c>535 5.7.139</c>), then by Graph, and reads over IMAP.
/// </summary>
internal sealed class TransportWalkthrough(IServiceProvider services, SampleArguments arguments, ModernAuthEmulator? emulator)
{
    private const string NoAccessMailbox = "no-access";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Shapes the emulator's tenant for the transport: for Graph, the app's Graph access is limited to the tenant's mailboxes
    /// but one (RBAC for Applications), to show a refusal; for Auto, SMTP AUTH is disabled tenant-wide
    /// (<c>Set-TransportConfig -SmtpClientAuthenticationDisabled $true</c>), as hardened tenants have it.
    /// </summary>
    public static void PrepareEmulator(ModernAuthEmulator emulator, MailTransport transport)
    {
        if (transport == MailTransport.Graph)
        {
            emulator.Application.ScopeGraphAccessTo(emulator.Mailboxes
                .Where(m => !m.Address.StartsWith(NoAccessMailbox + "@", StringComparison.OrdinalIgnoreCase))
                .Select(m => m.Address)
                .ToArray());
        }
        else if (transport == MailTransport.Auto)
        {
            foreach (var mailbox in emulator.Mailboxes)
            {
                mailbox.SmtpAuthEnabled = false;
            }
        }
    }

    public async Task<int> RunAsync(MailTransport transport, CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<IEmailAccountStore>();
        var transports = services.GetRequiredService<IMailTransports>();
        var tokens = services.GetRequiredService<ITokenProvider>();

        var account = await FindAccountAsync(accounts, arguments.Account, cancellationToken);
        var recipient = arguments.To ?? account.Address;
        var reader = await accounts.FindAsync(recipient, cancellationToken) ?? account;
        var sender = await transports.GetAsync(account.Address, cancellationToken);
        var inbox = await transports.GetAsync(reader.Address, cancellationToken);
        System.Console.WriteLine($"Account {account.Address} (provider {account.CloudProviderName}, Transport {transport}); message to {recipient}.");

        var subject = $"XCally.ModernAuth sample {Guid.NewGuid():N}";
        var refusalShown = emulator is not null && transport == MailTransport.Graph;
        var steps = new StepRunner(transport == MailTransport.Graph ? (refusalShown ? 4 : 3) : 4);
        if (transport == MailTransport.Graph)
        {
            await steps.RunAsync("Get an access token for Microsoft Graph", async () =>
                TokenClaims.Print(await tokens.GetAccessTokenAsync(account, TokenResource.MicrosoftGraph, cancellationToken)));
            await steps.RunAsync("Send a message through Microsoft Graph (sendMail, MIME)", async () =>
            {
                await sender.SendAsync(Message(account.Address, recipient, subject), cancellationToken);
                StepRunner.Detail($"sent by {sender}");
            });
            await steps.RunAsync("Read it back through Microsoft Graph (messages/delta, $value)", () => ReadBackAsync(inbox, [subject], cancellationToken));
            if (refusalShown)
            {
                await steps.RunAsync("Show a refused request: a mailbox outside the app's RBAC for Applications scope", () =>
                    ShowRefusalAsync(transports, $"{NoAccessMailbox}@{emulator!.Tenant.Domain}", cancellationToken));
            }
        }
        else
        {
            await steps.RunAsync("Get an access token for SMTP and IMAP", async () =>
                TokenClaims.Print(await tokens.GetAccessTokenAsync(account, MailProtocol.Smtp, cancellationToken)));
            await steps.RunAsync("Send a message: SMTP first, Microsoft Graph if the tenant refuses SMTP AUTH", async () =>
            {
                await sender.SendAsync(Message(account.Address, recipient, subject), cancellationToken);
                StepRunner.Detail($"sent by {sender}");
            });
            await steps.RunAsync("Send a second message: the account's choice is remembered", async () =>
            {
                await sender.SendAsync(Message(account.Address, recipient, subject + " (2)"), cancellationToken);
                StepRunner.Detail($"sent by {sender}");
                if (emulator is not null)
                {
                    StepRunner.Detail($"SMTP AUTH attempts refused: {emulator.Mail.GetAuthenticationCounts(MailProtocol.Smtp).Failed}; Graph sendMail requests: {emulator.Graph.RequestCount("sendMail")}");
                }
            });
            await steps.RunAsync($"Read both over IMAP ({reader.Imap})", () => ReadBackAsync(inbox, [subject, subject + " (2)"], cancellationToken));
        }

        System.Console.WriteLine();
        System.Console.WriteLine("All steps succeeded.");
        return ExitCodes.Success;
    }

    private static MimeMessage Message(string from, string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Sent with an OAuth 2.0 token, no password." };
        return message;
    }

    // Reads new mail batch by batch (committing each, as a channel does) until every expected subject has arrived.
    private static async Task ReadBackAsync(IMailTransport inbox, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(subjects, StringComparer.Ordinal);
        var read = 0;
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (missing.Count > 0)
        {
            var batch = await inbox.ReadNewAsync(MailFolderNames.Inbox, cancellationToken);
            read += batch.Messages.Count;
            foreach (var incoming in batch.Messages.Where(m => missing.Remove(m.Message.Subject ?? string.Empty)))
            {
                StepRunner.Detail($"found \"{incoming.Message.Subject}\" from {incoming.Message.From}");
            }

            await inbox.CommitAsync(batch, cancellationToken);
            if (missing.Count > 0 && batch.Messages.Count == 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The message did not arrive within {DeliveryTimeout.TotalSeconds:F0} s.");
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }

        StepRunner.Detail($"{read} new message(s) read by {inbox}; the cursor is committed");
    }

    private static async Task ShowRefusalAsync(IMailTransports transports, string address, CancellationToken cancellationToken)
    {
        try
        {
            var refused = await transports.GetAsync(address, cancellationToken);
            await refused.SendAsync(Message(address, address, "refused"), cancellationToken);
            StepRunner.Detail("unexpectedly accepted");
        }
        catch (ModernAuthException e)
        {
            StepRunner.Detail($"category: {e.Category}");
            StepRunner.Detail($"server:   {e.ServerResponse}");
            StepRunner.Detail($"advice:   {e.Advice}");
        }
    }

    private static async Task<EmailAccount> FindAccountAsync(IEmailAccountStore accounts, string? address, CancellationToken cancellationToken)
    {
        if (address is not null)
        {
            return await accounts.FindAsync(address, cancellationToken)
                ?? throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"No email account '{address}' is configured.", "Add it under XCallyModernAuth:EmailAccounts or pass a configured address to --account.");
        }

        var all = await accounts.ListAsync(cancellationToken);
        return all.Count > 0
            ? all[0]
            : throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, "No email account is configured.", "Add one under XCallyModernAuth:EmailAccounts.");
    }
}
