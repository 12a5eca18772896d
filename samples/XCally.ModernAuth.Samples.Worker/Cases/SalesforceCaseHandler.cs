using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using XCally.ModernAuth.Salesforce;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// An <see cref="IMessageHandler"/> that turns each new email into a Salesforce Case (Origin Email, Subject, Description, SuppliedEmail,
/// the Contact when one has the sender's address) with the email as its EmailMessage and its attachments as files.
/// </summary>
/// <remarks>
/// Idempotent by <c>Message-ID</c>, whatever happened before: the Case and its EmailMessage are created in one all-or-none request,
/// and the EmailMessage's <c>MessageIdentifier</c> is looked up first, so a message handed over again (the channel stopped before it
/// recorded the message, the customer's server delivered it twice) finds its Case instead of making a second one, and only the
/// attachments missing from that Case are added.
/// </remarks>
public sealed partial class SalesforceCaseHandler : IMessageHandler
{
    private readonly ISalesforceClientFactory _clients;
    private readonly SalesforceCaseOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="clients">Gives the Salesforce client of the configured provider.</param>
    /// <param name="options">The handler's settings.</param>
    /// <param name="logger">Where created Cases are logged.</param>
    public SalesforceCaseHandler(ISalesforceClientFactory clients, IOptions<SalesforceCaseOptions> options, ILogger<SalesforceCaseHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task HandleAsync(ChannelMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = _clients.CreateClient(_options.CloudProvider);
        var email = message.Message;
        var messageId = MessageIdentifier(email);

        string caseId;
        if (await client.FindEmailMessageAsync(messageId, cancellationToken) is { ParentId: { } existingCase })
        {
            caseId = existingCase;
            LogAlreadyACase(_logger, messageId, caseId);
        }
        else
        {
            var sender = email.From.Mailboxes.FirstOrDefault();
            var contactId = sender is null ? null : await client.FindContactIdByEmailAsync(sender.Address, cancellationToken);
            var text = email.TextBody ?? string.Empty;
            var created = await client.CreateCaseWithEmailMessageAsync(
                new SalesforceCase
                {
                    Origin = _options.Origin,
                    Subject = email.Subject,
                    Description = text,
                    SuppliedEmail = sender?.Address,
                    SuppliedName = string.IsNullOrEmpty(sender?.Name) ? null : sender.Name,
                    ContactId = contactId,
                },
                new SalesforceEmailMessage
                {
                    Subject = email.Subject,
                    TextBody = text,
                    HtmlBody = email.HtmlBody,
                    FromAddress = sender?.Address,
                    FromName = string.IsNullOrEmpty(sender?.Name) ? null : sender.Name,
                    ToAddress = Addresses(email.To),
                    CcAddress = email.Cc.Count == 0 ? null : Addresses(email.Cc),
                    MessageDate = email.Date == default ? null : email.Date,
                    MessageIdentifier = messageId,
                },
                cancellationToken);
            caseId = created.CaseId;
            LogCaseCreated(_logger, caseId, messageId, message.AccountAddress, contactId);
        }

        await AttachMissingFilesAsync(client, caseId, email, cancellationToken);
    }

    // After a stop between the Case and its files, only what is missing is added.
    private static async Task AttachMissingFilesAsync(ISalesforceClient client, string caseId, MimeMessage email, CancellationToken cancellationToken)
    {
        var attachments = Attachments(email);
        if (attachments.Count == 0)
        {
            return;
        }

        var present = (await client.ListFilesAsync(caseId, cancellationToken)).Select(f => f.PathOnClient).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, part) in attachments)
        {
            if (present.Contains(name) || part.Content is null)
            {
                continue;
            }

            using var content = new MemoryStream();
            await part.Content.DecodeToAsync(content, cancellationToken);
            await client.AttachFileAsync(caseId, new SalesforceFile(name, content.ToArray()), cancellationToken);
        }
    }

    /// <summary>The attachments with file names unique within the email, so that each is recognised when looked for again.</summary>
    private static List<(string Name, MimePart Part)> Attachments(MimeMessage email)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<(string, MimePart)>();
        foreach (var part in email.Attachments.OfType<MimePart>())
        {
            var name = string.IsNullOrWhiteSpace(part.FileName) ? "attachment" : part.FileName;
            var count = seen[name] = seen.GetValueOrDefault(name) + 1;
            result.Add((count == 1 ? name : $"{Path.GetFileNameWithoutExtension(name)} ({count}){Path.GetExtension(name)}", part));
        }

        return result;
    }

    /// <summary>The Message-ID, or for the rare message without one an identifier made from what does not change on redelivery.</summary>
    private static string MessageIdentifier(MimeMessage email)
    {
        if (!string.IsNullOrWhiteSpace(email.MessageId))
        {
            return $"<{email.MessageId}>";
        }

        var stable = $"{email.From}\n{email.Date:O}\n{email.Subject}\n{email.TextBody}";
        return $"<{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stable)))[..32].ToLowerInvariant()}@no-message-id.invalid>";
    }

    private static string Addresses(InternetAddressList list) => string.Join("; ", list.Mailboxes.Select(m => m.Address));

    [LoggerMessage(3001, LogLevel.Information, "Created Case {CaseId} for message {MessageId} to {Account} (Contact {ContactId})")]
    private static partial void LogCaseCreated(ILogger logger, string caseId, string messageId, string account, string? contactId);

    [LoggerMessage(3002, LogLevel.Information, "Message {MessageId} already has Case {CaseId}; no second Case is created")]
    private static partial void LogAlreadyACase(ILogger logger, string messageId, string caseId);
}
