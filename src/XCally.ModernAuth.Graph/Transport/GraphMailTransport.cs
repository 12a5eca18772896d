using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Messages.Item.Attachments.CreateUploadSession;
using Microsoft.Graph.Users.Item.Messages.Item.Move;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using MimeKit;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>
/// The <see cref="MailTransport.Graph"/> transport: MIME <c>sendMail</c> (base64 text/plain), or for large messages a MIME draft
/// whose attachments are added afterwards (upload sessions beyond <see cref="GraphMailOptions.UploadSessionThreshold"/>) and then
/// sent; reading by <c>messages/delta</c> with the delta link kept in the <see cref="IMailCursorStore"/>, each new message fetched
/// as MIME (<c>$value</c>). At most <see cref="GraphMailOptions.MaxConcurrentRequestsPerMailbox"/> operations run per mailbox.
/// </summary>
internal sealed partial class GraphMailTransport(EmailAccount account, GraphClients clients, IMailCursorStore cursors, ILogger<GraphMailTransport> logger) : IMailTransport
{
    // Delivered ids remembered in the cursor: delta also returns messages that were only changed (read, flagged).
    private const int RememberedIds = 2000;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> MailboxGates = new(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.OrdinalIgnoreCase)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    // The 8.0 logging generator needs a field, not a primary constructor parameter.
    private readonly ILogger _logger = logger;
    private readonly SemaphoreSlim _gate = MailboxGates.GetOrAdd(account.Address, _ => new SemaphoreSlim(clients.Options.MaxConcurrentRequestsPerMailbox));
    private GraphClient? _client;

    public EmailAccount Account { get; } = account;

    public MailTransport Kind => MailTransport.Graph;

    private GraphMailOptions Options => clients.Options;

    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(Account.Address));
        }

        return RunAsync("send a message", async (graph, ct) =>
        {
            var mime = Serialize(message);
            if (mime.Length <= Options.LargeMessageThreshold)
            {
                if (Options.SaveToSentItems)
                {
                    await SendMimeAsync(graph, mime, ct).ConfigureAwait(false);
                }
                else
                {
                    // saveToSentItems is a parameter of the JSON form only.
                    await graph.Service.Users[Account.Address].SendMail.PostAsync(
                        new SendMailPostRequestBody { Message = GraphMessages.FromMime(message), SaveToSentItems = false }, cancellationToken: ct).ConfigureAwait(false);
                }

                LogSent(Account.Address, mime.Length, "sendMail");
                return;
            }

            await SendLargeAsync(graph, message, ct).ConfigureAwait(false);
            LogSent(Account.Address, mime.Length, "draft and upload session");
        }, cancellationToken);
    }

    public Task<IncomingMailBatch> ReadNewAsync(string folder = MailFolderNames.Inbox, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return RunAsync("read new mail", async (graph, ct) =>
        {
            var cursor = GraphCursor.Parse(await cursors.GetAsync(Account.Address, folder, ct).ConfigureAwait(false));
            var folderId = await FolderIdAsync(graph, folder, ct).ConfigureAwait(false);
            var builder = graph.Service.Users[Account.Address].MailFolders[folderId].Messages.Delta;
            var page = cursor.DeltaLink is { } link
                ? await builder.WithUrl(link).GetAsDeltaGetResponseAsync(cancellationToken: ct).ConfigureAwait(false)
                : await builder.GetAsDeltaGetResponseAsync(request => request.Headers.Add("Prefer", "odata.maxpagesize=50"), ct).ConfigureAwait(false);
            var seen = new HashSet<string>(cursor.Seen, StringComparer.Ordinal);
            var ids = new List<string>();
            string? deltaLink = null;
            var hasMore = false;
            while (page is not null)
            {
                foreach (var item in page.Value ?? [])
                {
                    if (item.Id is { } id && item.AdditionalData?.ContainsKey("@removed") != true && seen.Add(id))
                    {
                        ids.Add(id);
                    }
                }

                if (page.OdataDeltaLink is { } delta)
                {
                    deltaLink = delta;
                    break;
                }

                if (page.OdataNextLink is not { } next || ids.Count >= Options.MaxBatchSize)
                {
                    // Stop at a page boundary: the next read continues from the next link.
                    deltaLink = page.OdataNextLink;
                    hasMore = page.OdataNextLink is not null;
                    break;
                }

                page = await builder.WithUrl(next).GetAsDeltaGetResponseAsync(cancellationToken: ct).ConfigureAwait(false);
            }

            var messages = new List<IncomingMessage>();
            foreach (var id in ids)
            {
                var content = await graph.Service.Users[Account.Address].Messages[id].Content.GetAsync(cancellationToken: ct).ConfigureAwait(false);
                if (content is null)
                {
                    continue;
                }

                await using (content.ConfigureAwait(false))
                {
                    messages.Add(new IncomingMessage(id, folder, await MimeMessage.LoadAsync(content, ct).ConfigureAwait(false)));
                }
            }

            var remembered = cursor.Seen.Concat(ids).TakeLast(RememberedIds).ToArray();
            return new IncomingMailBatch(Account.Address, folder, messages, new GraphCursor(deltaLink ?? cursor.DeltaLink, remembered).ToString(), hasMore);
        }, cancellationToken);
    }

    public async Task CommitAsync(IncomingMailBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!string.Equals(batch.AccountAddress, Account.Address, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The batch was read from '{batch.AccountAddress}', not '{Account.Address}'; commit it on its own account's transport.", nameof(batch));
        }

        await cursors.SetAsync(Account.Address, batch.Folder, batch.Cursor, cancellationToken).ConfigureAwait(false);
    }

    public Task MarkReadAsync(IncomingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RunAsync("mark a message read", async (graph, ct) =>
        {
            await graph.Service.Users[Account.Address].Messages[message.Id].PatchAsync(new Message { IsRead = true }, cancellationToken: ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task MoveAsync(IncomingMessage message, string destinationFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationFolder);
        return RunAsync("move a message", async (graph, ct) =>
        {
            var destination = await FolderIdAsync(graph, destinationFolder, ct).ConfigureAwait(false);
            await graph.Service.Users[Account.Address].Messages[message.Id].Move.PostAsync(new MovePostRequestBody { DestinationId = destination }, cancellationToken: ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public override string ToString() => $"Microsoft Graph transport of {Account.Address}";

    internal async Task<GraphClient> ClientAsync(CancellationToken cancellationToken) =>
        _client ??= await clients.CreateAsync(Account, cancellationToken).ConfigureAwait(false);

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private static RequestInformation MimeRequest(RequestInformation request, byte[] mime)
    {
        // The typed builder set a JSON content type; the MIME form is base64 text/plain.
        request.Headers.Remove("Content-Type");
        request.SetStreamContent(new MemoryStream(Encoding.ASCII.GetBytes(Convert.ToBase64String(mime))), "text/plain");
        return request;
    }

    private async Task SendMimeAsync(GraphClient graph, byte[] mime, CancellationToken cancellationToken)
    {
        var request = MimeRequest(graph.Service.Users[Account.Address].SendMail.ToPostRequestInformation(new SendMailPostRequestBody()), mime);
        await graph.Service.RequestAdapter.SendNoContentAsync(request, ErrorMapping, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A draft from the message without its attachments, then each attachment (large ones by upload session), then send.</summary>
    private async Task SendLargeAsync(GraphClient graph, MimeMessage message, CancellationToken cancellationToken)
    {
        var (bare, attachments) = GraphMessages.SplitAttachments(message);
        var request = MimeRequest(graph.Service.Users[Account.Address].Messages.ToPostRequestInformation(new Message()), Serialize(bare));
        var draft = await graph.Service.RequestAdapter.SendAsync(request, Message.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Graph returned no draft.");
        var messageRequests = graph.Service.Users[Account.Address].Messages[draft.Id];
        foreach (var attachment in attachments)
        {
            if (attachment.Content.Length <= Options.UploadSessionThreshold)
            {
                await messageRequests.Attachments.PostAsync(
                    new FileAttachment { OdataType = "#microsoft.graph.fileAttachment", Name = attachment.Name, ContentType = attachment.ContentType, ContentBytes = attachment.Content },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            var session = await messageRequests.Attachments.CreateUploadSession.PostAsync(
                new CreateUploadSessionPostRequestBody
                {
                    AttachmentItem = new AttachmentItem { AttachmentType = AttachmentType.File, Name = attachment.Name, ContentType = attachment.ContentType, Size = attachment.Content.Length },
                },
                cancellationToken: cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("Graph returned no upload session.");
            using var stream = new MemoryStream(attachment.Content, writable: false);
            var upload = new LargeFileUploadTask<FileAttachment>(session, stream, Options.UploadSliceSize, graph.Uploads);
            var result = await upload.UploadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!result.UploadSucceeded)
            {
                throw new ModernAuthException(
                    ModernAuthErrorCategory.Transient,
                    $"The upload of attachment '{attachment.Name}' ({attachment.Content.Length} bytes) to the draft of '{Account.Address}' did not complete.",
                    "Send the message again.")
                {
                    AccountAddress = Account.Address,
                };
            }
        }

        await messageRequests.Send.PostAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> FolderIdAsync(GraphClient graph, string folder, CancellationToken cancellationToken)
    {
        if (MailFolderNames.IsWellKnown(folder))
        {
            return folder.ToLowerInvariant();
        }

        var folders = await graph.Service.Users[Account.Address].MailFolders.GetAsync(request => request.QueryParameters.Top = 250, cancellationToken).ConfigureAwait(false);
        return folders?.Value?.FirstOrDefault(f => string.Equals(f.DisplayName, folder, StringComparison.OrdinalIgnoreCase))?.Id
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.RequestRejected,
                $"The mailbox '{Account.Address}' has no top-level folder named '{folder}'.",
                "Use a well-known folder name (Inbox, SentItems, DeletedItems, Drafts, JunkEmail, Archive) or a top-level folder's display name.")
            {
                AccountAddress = Account.Address,
            };
    }

    private async Task<T> RunAsync<T>(string operation, Func<GraphClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var graph = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(graph, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException exception)
        {
            if (exception.ResponseStatusCode == 401)
            {
                await graph.Tokens.InvalidateLastAsync(cancellationToken).ConfigureAwait(false);
            }

            var error = GraphErrors.Translate(exception, Account, operation, graph.ClientId);
            LogRefused(Account.Address, operation, error.ServerResponse ?? error.Message);
            throw error;
        }
        catch (HttpRequestException exception)
        {
            throw GraphErrors.Translate(exception, Account, operation, graph.ClientId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task RunAsync(string operation, Func<GraphClient, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        RunAsync(operation, async (graph, ct) =>
        {
            await action(graph, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sent a message of {Bytes} bytes from {Account} through Microsoft Graph ({Method}).")]
    private partial void LogSent(string account, int bytes, string method);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Microsoft Graph refused to {Operation} for {Account}: {Response}")]
    private partial void LogRefused(string account, string operation, string response);

    /// <summary>The delta link and the ids already delivered, as JSON (no token: delta links carry only Graph's own state).</summary>
    private sealed record GraphCursor(string? DeltaLink, string[] Seen)
    {
        public static GraphCursor Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return new GraphCursor(null, []);
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                var delta = json.RootElement.TryGetProperty("delta", out var d) ? d.GetString() : null;
                var seen = json.RootElement.TryGetProperty("seen", out var s) ? s.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
                return new GraphCursor(delta, seen);
            }
            catch (JsonException)
            {
                return new GraphCursor(null, []);
            }
        }

        public override string ToString() => JsonSerializer.Serialize(new Dictionary<string, object?> { ["delta"] = DeltaLink, ["seen"] = Seen });
    }
}
