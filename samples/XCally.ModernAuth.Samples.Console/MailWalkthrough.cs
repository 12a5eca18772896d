using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Samples.Console;

/// <summary>
/// The host code path a mail channel runs: a token for the account, a message sent over SMTP, read back over IMAP and POP3,
/// and (on the emulator) a refused login with the SDK's explanation.
/// </summary>
internal sealed class MailWalkthrough(IServiceProvider services, SampleArguments arguments, ModernAuthEmulator? emulator, bool showRefusal)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<IEmailAccountStore>();
        var tokens = services.GetRequiredService<ITokenProvider>();
        var connector = services.GetRequiredService<IMailClientConnector>();

        var account = await FindAccountAsync(accounts, cancellationToken);
        var recipient = arguments.To ?? account.Address;
        var subject = $"XCally.ModernAuth sample {Guid.NewGuid():N}";
        System.Console.WriteLine($"Account {account.Address} (provider {account.CloudProviderName}); message to {recipient}.");

        var refusalShown = emulator is not null && showRefusal;
        var steps = new StepRunner(refusalShown ? 5 : 4);
        await steps.RunAsync("Get an access token for IMAP", async () =>
            TokenClaims.Print(await tokens.GetAccessTokenAsync(account, MailProtocol.Imap, cancellationToken)));

        await steps.RunAsync($"Send a message over SMTP ({account.Smtp})", async () =>
        {
            using var smtp = await connector.ConnectSmtpAsync(account, cancellationToken);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(account.Address));
            message.To.Add(MailboxAddress.Parse(recipient));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = "Sent with an OAuth 2.0 token, no password." };
            var response = await smtp.SendAsync(message, cancellationToken);
            StepRunner.Detail($"server: {response.Trim()}");
            await smtp.DisconnectAsync(true, cancellationToken);
        });

        var reader = await FindAccountAsync(accounts, cancellationToken, recipient) ?? account;
        await steps.RunAsync($"Read it back over IMAP ({reader.Imap})", async () =>
        {
            using var imap = await connector.ConnectImapAsync(reader, cancellationToken);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            var uid = await PollAsync(async () => (await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject), cancellationToken)).FirstOrDefault(), cancellationToken);
            var found = await imap.Inbox.GetMessageAsync(uid, cancellationToken);
            StepRunner.Detail($"INBOX has {imap.Inbox.Count} message(s); found UID {uid}: \"{found.Subject}\" from {found.From}");
            await imap.DisconnectAsync(true, cancellationToken);
        });

        await steps.RunAsync($"Read it over POP3 ({reader.Pop3})", async () =>
        {
            using var pop3 = await connector.ConnectPop3Async(reader, cancellationToken);
            var headers = new List<string>();
            for (var i = pop3.Count - 1; i >= Math.Max(0, pop3.Count - 20); i--)
            {
                headers.Add((await pop3.GetMessageHeadersAsync(i, cancellationToken))[HeaderId.Subject] ?? string.Empty);
            }

            StepRunner.Detail($"maildrop has {pop3.Count} message(s); ours is {(headers.Contains(subject) ? "there" : "not among the newest 20")}");
            await pop3.DisconnectAsync(true, cancellationToken);
        });

        if (refusalShown)
        {
            await steps.RunAsync("Show a refused login: a mailbox the application has no permission for", async () =>
            {
                var refused = await FindAccountAsync(accounts, cancellationToken, $"no-access@{emulator!.Tenant.Domain}");
                try
                {
                    using var imap = await connector.ConnectImapAsync(refused!, cancellationToken);
                    StepRunner.Detail("unexpectedly accepted");
                }
                catch (ModernAuthException e)
                {
                    StepRunner.Detail($"category: {e.Category}");
                    StepRunner.Detail($"server:   {e.ServerResponse}");
                    StepRunner.Detail($"advice:   {e.Advice}");
                }
            });
        }

        System.Console.WriteLine();
        System.Console.WriteLine("All steps succeeded.");
        return ExitCodes.Success;
    }

    private async Task<EmailAccount> FindAccountAsync(IEmailAccountStore accounts, CancellationToken cancellationToken)
    {
        if (arguments.Account is not null)
        {
            return await accounts.FindAsync(arguments.Account, cancellationToken)
                ?? throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"No email account '{arguments.Account}' is configured.", "Add it under XCallyModernAuth:EmailAccounts or pass a configured address to --account.");
        }

        var all = await accounts.ListAsync(cancellationToken);
        return all.Count > 0
            ? all[0]
            : throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, "No email account is configured.", "Add one under XCallyModernAuth:EmailAccounts.");
    }

    private static async Task<EmailAccount?> FindAccountAsync(IEmailAccountStore accounts, CancellationToken cancellationToken, string address) =>
        await accounts.FindAsync(address, cancellationToken);

    private static async Task<UniqueId> PollAsync(Func<Task<UniqueId>> search, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (true)
        {
            var uid = await search();
            if (uid.IsValid)
            {
                return uid;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The message did not arrive within {DeliveryTimeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
