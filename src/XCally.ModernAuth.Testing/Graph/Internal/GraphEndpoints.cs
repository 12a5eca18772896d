using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.Tokens;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Graph.Internal;

/// <summary>The Graph v1.0 mail endpoints, mapped under <c>/graph/v1.0</c> on the identity platform's host.</summary>
internal sealed class GraphEndpoints(EmulatorGraph graph)
{
    private const string Prefix = "/graph/v1.0";
    private const string AccessDenied = "Access is denied. Check credentials and try again.";
    private const string OutsideScope = "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.";
    private const int DeltaPageSize = 10;

    private enum Need
    {
        Read,
        Write,
        Send,
    }

    public void Map(IEndpointRouteBuilder app)
    {
        var users = Prefix + "/users/{user}";
        app.MapPost(users + "/sendMail", context => Serve(context, "sendMail", Need.Send, SendMailAsync));
        app.MapPost(users + "/messages", context => Serve(context, "createDraft", Need.Write, CreateDraftAsync));
        app.MapGet(users + "/messages/{id}", context => Serve(context, "getMessage", Need.Read, GetMessageAsync));
        app.MapMethods(users + "/messages/{id}", ["PATCH"], context => Serve(context, "updateMessage", Need.Write, UpdateMessageAsync));
        app.MapGet(users + "/messages/{id}/$value", context => Serve(context, "getMime", Need.Read, GetMimeAsync));
        app.MapPost(users + "/messages/{id}/attachments", context => Serve(context, "addAttachment", Need.Write, AddAttachmentAsync));
        app.MapPost(users + "/messages/{id}/attachments/createUploadSession", context => Serve(context, "createUploadSession", Need.Write, CreateUploadSessionAsync));
        app.MapPost(users + "/messages/{id}/send", context => Serve(context, "send", Need.Send, SendDraftAsync));
        app.MapPost(users + "/messages/{id}/move", context => Serve(context, "move", Need.Write, MoveAsync));
        app.MapGet(users + "/mailFolders", context => Serve(context, "listFolders", Need.Read, ListFoldersAsync));
        app.MapGet(users + "/mailFolders/{folder}/messages/delta()", context => Serve(context, "delta", Need.Read, DeltaAsync));
        app.MapGet(users + "/mailFolders/{folder}/messages/delta", context => Serve(context, "delta", Need.Read, DeltaAsync));
        app.MapPost(Prefix + "/subscriptions", CreateSubscriptionAsync);
        app.MapMethods(Prefix + "/subscriptions/{id}", ["PATCH"], RenewSubscriptionAsync);
        app.MapPost(Prefix + "/subscriptions/{id}/reauthorize", ReauthorizeSubscriptionAsync);
        app.MapDelete(Prefix + "/subscriptions/{id}", DeleteSubscriptionAsync);
        app.MapPut("/graph/upload/{session}", UploadChunkAsync);
    }

    private static string Route(HttpContext context, string name) => Uri.UnescapeDataString((string?)context.Request.RouteValues[name] ?? string.Empty);

    private static Task Error(HttpContext context, HttpStatusCode status, string code, string message, TimeSpan? retryAfter = null) =>
        GraphJson.WriteErrorAsync(context, status, code, message, retryAfter);

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Checks the token, the mailbox, the permission, RBAC scope, faults and the concurrency limit, then runs the handler.</summary>
    private async Task Serve(HttpContext context, string operation, Need need, Func<HttpContext, GraphCaller, EmulatorMailbox, Task> handler)
    {
        graph.Count(operation);
        var (caller, tokenError) = await graph.Tokens.ValidateAsync(context.Request.Headers.Authorization.FirstOrDefault()).ConfigureAwait(false);
        if (caller is null)
        {
            await Error(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", tokenError!).ConfigureAwait(false);
            return;
        }

        var user = Route(context, "user");
        var mailbox = graph.Directory.FindMailbox(user);
        if (mailbox is null || !string.Equals(mailbox.Tenant.TenantId, caller.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            await (graph.Directory.FindUser(user) is not null
                ? Error(context, HttpStatusCode.NotFound, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
                : Error(context, HttpStatusCode.NotFound, "ErrorInvalidUser", $"The requested user '{user}' is invalid.")).ConfigureAwait(false);
            return;
        }

        if (Refusal(caller, mailbox, need) is { } refusal)
        {
            await Error(context, HttpStatusCode.Forbidden, "ErrorAccessDenied", refusal).ConfigureAwait(false);
            return;
        }

        if (graph.TakeFault(mailbox.Address) is { } fault)
        {
            graph.Count("faulted");
            await Error(context, fault.Status, fault.Code, fault.Message, fault.RetryAfter).ConfigureAwait(false);
            return;
        }

        var key = (caller.Application.ClientId, mailbox.Address.ToUpperInvariant());
        try
        {
            if (graph.InFlight.AddOrUpdate(key, 1, (_, count) => count + 1) > graph.MaxConcurrentRequestsPerMailbox)
            {
                graph.Count("throttled");
                await Error(context, (HttpStatusCode)429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                return;
            }

            await handler(context, caller, mailbox).ConfigureAwait(false);
        }
        finally
        {
            graph.InFlight.AddOrUpdate(key, 0, (_, count) => count - 1);
        }
    }

    private static string? Refusal(GraphCaller caller, EmulatorMailbox mailbox, Need need)
    {
        if (caller.AppOnly)
        {
            var permitted = need switch
            {
                Need.Send => caller.Has(EmulatorApplication.GraphMailSend),
                Need.Write => caller.Has(EmulatorApplication.GraphMailReadWrite),
                _ => caller.Has(EmulatorApplication.GraphMailReadWrite, "Mail.Read", "Mail.ReadBasic.All"),
            };
            return !permitted ? AccessDenied : caller.Application.GraphAccessCovers(mailbox.Address) ? null : OutsideScope;
        }

        var own = mailbox.Owner is { } owner && string.Equals(owner.UserPrincipalName, caller.UserPrincipalName, StringComparison.OrdinalIgnoreCase);
        var shared = !own && caller.UserPrincipalName is { } upn && mailbox.HasUserAccess(upn);
        var ok = need switch
        {
            Need.Send => (own && caller.Has(EmulatorApplication.GraphMailSend)) || (shared && caller.Has(EmulatorApplication.GraphMailSendShared)),
            Need.Write => (own && caller.Has(EmulatorApplication.GraphMailReadWrite)) || (shared && caller.Has(EmulatorApplication.GraphMailReadWriteShared)),
            _ => (own && caller.Has(EmulatorApplication.GraphMailReadWrite, "Mail.Read")) || (shared && caller.Has(EmulatorApplication.GraphMailReadWriteShared, "Mail.Read.Shared")),
        };
        return ok ? null : AccessDenied;
    }

    private async Task<MimeMessage?> ReadMessageBodyAsync(HttpContext context, EmulatorMailbox mailbox, bool sendMailWrapper)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > EmulatorGraph.MaxRequestBytes)
        {
            await Error(context, HttpStatusCode.RequestEntityTooLarge, "RequestBodyTooLarge", "The maximum request length supported is 4MB.").ConfigureAwait(false);
            return null;
        }

        buffer.Position = 0;
        if (context.Request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var raw = Convert.FromBase64String(Encoding.ASCII.GetString(buffer.ToArray()));
                return await MimeMessage.LoadAsync(new MemoryStream(raw), context.RequestAborted).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                await Error(context, HttpStatusCode.BadRequest, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.").ConfigureAwait(false);
                return null;
            }
        }

        JsonObject? json;
        try
        {
            json = await JsonNode.ParseAsync(buffer, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorInvalidRequest", "Cannot read the request body: send JSON, or MIME as base64 with Content-Type text/plain.").ConfigureAwait(false);
            return null;
        }

        var message = sendMailWrapper ? json?["message"] as JsonObject : json;
        if (message is null)
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorInvalidRequest", "Empty Payload. JSON content expected.").ConfigureAwait(false);
            return null;
        }

        if (sendMailWrapper && json?["saveToSentItems"]?.GetValue<bool>() == false)
        {
            context.Items["saveToSentItems"] = false;
        }

        return GraphJson.ToMime(message, mailbox.Address);
    }

    private async Task SendMailAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        var message = await ReadMessageBodyAsync(context, mailbox, sendMailWrapper: true).ConfigureAwait(false);
        if (message is null)
        {
            return;
        }

        if (!message.To.Mailboxes.Any() && !message.Cc.Mailboxes.Any() && !message.Bcc.Mailboxes.Any())
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid., Message has no recipients.").ConfigureAwait(false);
            return;
        }

        Deliver(mailbox, message, saveToSentItems: context.Items["saveToSentItems"] is not false);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>Delivers to the recipients that are emulator mailboxes (over IMAP they see it) and keeps a copy in Sent Items.</summary>
    private void Deliver(EmulatorMailbox sender, MimeMessage message, bool saveToSentItems)
    {
        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(sender.Address));
        }

        message.MessageId ??= MimeKit.Utils.MimeUtils.GenerateMessageId(sender.Address.Split('@')[1]);
        if (!message.Headers.Contains(HeaderId.Date))
        {
            message.Date = graph.TimeProvider.GetUtcNow();
        }

        var bcc = message.Bcc.Mailboxes.ToList();
        message.Bcc.Clear();
        var raw = Serialize(message);
        var now = graph.TimeProvider.GetUtcNow();
        foreach (var address in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(bcc).Select(m => m.Address).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (graph.Directory.FindMailbox(address) is { } recipient)
            {
                recipient.DeliverRaw(raw, recipient.FindFolder(EmulatorMailbox.Inbox)!, now);
            }
        }

        if (saveToSentItems)
        {
            sender.DeliverRaw(raw, sender.FindFolder(EmulatorMailbox.SentItems)!, now, ["\\Seen"]);
        }
    }

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private async Task CreateDraftAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        var message = await ReadMessageBodyAsync(context, mailbox, sendMailWrapper: false).ConfigureAwait(false);
        if (message is null)
        {
            return;
        }

        var drafts = mailbox.FindFolder(EmulatorMailbox.Drafts)!;
        var stored = drafts.Append(Serialize(message), graph.TimeProvider.GetUtcNow(), ["\\Draft"]);
        await GraphJson.WriteAsync(context, GraphJson.Message(drafts, stored), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task<(EmulatorMailFolder Folder, EmulatorStoredMessage Message)?> RequireMessageAsync(HttpContext context, EmulatorMailbox mailbox)
    {
        if (GraphJson.FindMessage(mailbox, Route(context, "id")) is { } found)
        {
            return found;
        }

        await Error(context, HttpStatusCode.NotFound, "ErrorItemNotFound", "The specified object was not found in the store.").ConfigureAwait(false);
        return null;
    }

    private async Task GetMessageAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is { } found)
        {
            await GraphJson.WriteAsync(context, GraphJson.Message(found.Folder, found.Message)).ConfigureAwait(false);
        }
    }

    private async Task GetMimeAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is { } found)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync(found.Message.Raw, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task UpdateMessageAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var json = await ReadJsonAsync(context).ConfigureAwait(false);
        if (json?["isRead"] is { } isRead)
        {
            found.Message.ChangeFlags(isRead.GetValue<bool>() ? '+' : '-', ["\\Seen"]);
            found.Folder.Touch(found.Message);
        }

        await GraphJson.WriteAsync(context, GraphJson.Message(found.Folder, found.Message)).ConfigureAwait(false);
    }

    private async Task MoveAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var json = await ReadJsonAsync(context).ConfigureAwait(false);
        var destination = (json?["DestinationId"] ?? json?["destinationId"])?.GetValue<string>() is { } id ? GraphJson.FindFolder(mailbox, id) : null;
        if (destination is null)
        {
            await Error(context, HttpStatusCode.NotFound, "ErrorInvalidIdMalformed", "Id is malformed.").ConfigureAwait(false);
            return;
        }

        var moved = destination.Append(found.Message.Raw, found.Message.InternalDate, found.Message.GetFlags());
        found.Folder.Remove([found.Message.Uid]);
        await GraphJson.WriteAsync(context, GraphJson.Message(destination, moved), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task AddAttachmentAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var json = await ReadJsonAsync(context).ConfigureAwait(false);
        if (json?["contentBytes"]?.GetValue<string>() is not { } content)
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorInvalidRequest", "A fileAttachment needs name and contentBytes.").ConfigureAwait(false);
            return;
        }

        var name = json["name"]?.GetValue<string>() ?? "attachment";
        AttachToDraft(mailbox, found.Folder, found.Message, name, json["contentType"]?.GetValue<string>() ?? "application/octet-stream", Convert.FromBase64String(content));
        await GraphJson.WriteAsync(context, new JsonObject { ["@odata.type"] = "#microsoft.graph.fileAttachment", ["id"] = Guid.NewGuid().ToString(), ["name"] = name }, StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>Rewrites a draft with one more attachment; the draft keeps its id (the emulator replaces the stored message in place).</summary>
    private static void AttachToDraft(EmulatorMailbox mailbox, EmulatorMailFolder folder, EmulatorStoredMessage draft, string name, string contentType, byte[] content)
    {
        var message = MimeMessage.Load(new MemoryStream(draft.Raw));
        var attachment = new MimePart(ContentType.Parse(contentType))
        {
            Content = new MimeContent(new MemoryStream(content)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name },
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = name,
        };
        if (message.Body is Multipart { ContentType.MediaSubtype: "mixed" } mixed)
        {
            mixed.Add(attachment);
        }
        else
        {
            message.Body = message.Body is null ? attachment : new Multipart("mixed") { message.Body, attachment };
        }

        folder.Replace(draft.Uid, Serialize(message));
    }

    private async Task CreateUploadSessionAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var body = await ReadJsonAsync(context).ConfigureAwait(false);
        var item = body?["AttachmentItem"] ?? body?["attachmentItem"];
        var size = item?["size"]?.GetValue<long>() ?? 0;
        if (item is null || size <= 0)
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorInvalidRequest", "AttachmentItem with attachmentType, name and size is required.").ConfigureAwait(false);
            return;
        }

        if (size > 150L * 1024 * 1024)
        {
            await Error(context, HttpStatusCode.BadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "The attachment cannot be larger than 150 MB.").ConfigureAwait(false);
            return;
        }

        var expires = graph.TimeProvider.GetUtcNow().AddHours(1);
        var session = graph.Uploads.Add(new GraphUploadSession(mailbox, Route(context, "id"), item["name"]?.GetValue<string>() ?? "attachment", item["contentType"]?.GetValue<string>() ?? "application/octet-stream", size, expires));
        await GraphJson.WriteAsync(
            context,
            new JsonObject
            {
                ["@odata.context"] = $"{graph.BaseAddress}$metadata#microsoft.graph.uploadSession",
                ["uploadUrl"] = new Uri(graph.BaseAddress, "/graph/upload/" + session).ToString(),
                ["expirationDateTime"] = expires.ToString("O", CultureInfo.InvariantCulture),
                ["nextExpectedRanges"] = new JsonArray("0-"),
            },
            StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary><c>PUT {uploadUrl}</c> with <c>Content-Range: bytes a-b/total</c>: 200 with the next range, 201 after the last byte.</summary>
    private async Task UploadChunkAsync(HttpContext context)
    {
        graph.Count("uploadChunk");
        var id = Route(context, "session");
        if (graph.Uploads.Find(id) is not { } session || session.Expires <= graph.TimeProvider.GetUtcNow())
        {
            await Error(context, HttpStatusCode.NotFound, "ErrorItemNotFound", "The upload session was not found or has expired.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            // Graph's upload URL carries its own authorization; a bearer token sent along is refused.
            await Error(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "An Authorization header must not be sent to an upload URL.").ConfigureAwait(false);
            return;
        }

        var range = context.Request.Headers.ContentRange.FirstOrDefault();
        if (!System.Net.Http.Headers.ContentRangeHeaderValue.TryParse(range, out var parsed) || parsed.From is not { } from || parsed.To is not { } to || parsed.Length != session.Size)
        {
            await Error(context, HttpStatusCode.BadRequest, "InvalidRange", $"The Content-Range header '{range}' is not bytes from-to/{session.Size}.").ConfigureAwait(false);
            return;
        }

        using var chunk = new MemoryStream();
        await context.Request.Body.CopyToAsync(chunk, context.RequestAborted).ConfigureAwait(false);
        long received;
        lock (session.Gate)
        {
            if (from != session.Received.Length || chunk.Length != to - from + 1)
            {
                received = -1;
            }
            else
            {
                chunk.Position = 0;
                chunk.CopyTo(session.Received);
                received = session.Received.Length;
            }
        }

        if (received < 0)
        {
            await Error(context, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange", $"The range {from}-{to} does not continue the upload at {session.Received.Length}.").ConfigureAwait(false);
            return;
        }

        if (received < session.Size)
        {
            await GraphJson.WriteAsync(context, new JsonObject
            {
                ["expirationDateTime"] = session.Expires.ToString("O", CultureInfo.InvariantCulture),
                ["nextExpectedRanges"] = new JsonArray(received.ToString(CultureInfo.InvariantCulture) + "-"),
            }).ConfigureAwait(false);
            return;
        }

        graph.Uploads.Remove(id);
        if (GraphJson.FindMessage(session.Mailbox, session.MessageId) is { } draft)
        {
            AttachToDraft(session.Mailbox, draft.Folder, draft.Message, session.Name, session.ContentType, session.Received.ToArray());
        }

        context.Response.Headers.Location = new Uri(graph.BaseAddress, $"users/{session.Mailbox.Address}/messages/{session.MessageId}/attachments/{Guid.NewGuid()}").ToString();
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private async Task SendDraftAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        if (await RequireMessageAsync(context, mailbox).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var message = MimeMessage.Load(new MemoryStream(found.Message.Raw));
        found.Folder.Remove([found.Message.Uid]);
        Deliver(mailbox, message, saveToSentItems: true);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task ListFoldersAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox) =>
        await GraphJson.WriteAsync(context, new JsonObject { ["value"] = new JsonArray([.. mailbox.MailFolders.Select(GraphJson.Folder)]) }).ConfigureAwait(false);

    /// <summary>
    /// <c>messages/delta</c>: pages of <see cref="DeltaPageSize"/> (or <c>Prefer: odata.maxpagesize</c>) with an
    /// <c>@odata.nextLink</c>, then an <c>@odata.deltaLink</c> whose token is the folder's change number; removed messages come
    /// as <c>@removed</c>.
    /// </summary>
    private async Task DeltaAsync(HttpContext context, GraphCaller caller, EmulatorMailbox mailbox)
    {
        var folder = GraphJson.FindFolder(mailbox, Route(context, "folder"));
        if (folder is null)
        {
            await Error(context, HttpStatusCode.NotFound, "ErrorInvalidIdMalformed", "Id is malformed.").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var token = query["$skiptoken"].FirstOrDefault() ?? query["$deltatoken"].FirstOrDefault();
        long since = 0, upTo = -1;
        var offset = 0;
        if (token is not null)
        {
            var parts = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token)).Split(':');
            if (parts.Length != 4 || parts[0] != folder.UidValidity.ToString(CultureInfo.InvariantCulture))
            {
                await Error(context, HttpStatusCode.Gone, "SyncStateNotFound", "The sync state is invalid or expired: start a new delta query without a token.").ConfigureAwait(false);
                return;
            }

            since = long.Parse(parts[1], CultureInfo.InvariantCulture);
            upTo = long.Parse(parts[2], CultureInfo.InvariantCulture);
            offset = int.Parse(parts[3], CultureInfo.InvariantCulture);
        }

        var (changed, removed, now) = folder.ChangesSince(since);
        if (upTo < 0 || query["$deltatoken"].Count > 0)
        {
            upTo = now;
        }

        var items = changed.Where(m => m.Change <= upTo)
            .Select(m => (JsonNode)GraphJson.Message(folder, m))
            .Concat(removed.Select(uid => (JsonNode)new JsonObject { ["id"] = GraphJson.MessageId(folder, uid), ["@removed"] = new JsonObject { ["reason"] = "deleted" } }))
            .ToList();
        var pageSize = PageSize(context);
        var page = items.Skip(offset).Take(pageSize).ToList();
        var body = new JsonObject
        {
            ["@odata.context"] = $"{graph.BaseAddress}$metadata#Collection(message)",
            ["value"] = new JsonArray([.. page]),
        };
        var baseLink = new Uri(graph.BaseAddress, $"users/{Uri.EscapeDataString(mailbox.Address)}/mailFolders/{Uri.EscapeDataString(Route(context, "folder"))}/messages/delta()").ToString();
        if (offset + page.Count < items.Count)
        {
            body["@odata.nextLink"] = baseLink + "?$skiptoken=" + Token(folder, since, upTo, offset + page.Count);
        }
        else
        {
            body["@odata.deltaLink"] = baseLink + "?$deltatoken=" + Token(folder, upTo, -1, 0);
        }

        await GraphJson.WriteAsync(context, body).ConfigureAwait(false);
    }

    private static int PageSize(HttpContext context)
    {
        foreach (var prefer in context.Request.Headers["Prefer"].SelectMany(value => (value ?? string.Empty).Split(',')))
        {
            var pair = prefer.Trim().Split('=');
            if (pair is ["odata.maxpagesize", var size] && int.TryParse(size, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                return Math.Min(parsed, 1000);
            }
        }

        return DeltaPageSize;
    }

    private static string Token(EmulatorMailFolder folder, long since, long upTo, int offset) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{folder.UidValidity}:{since}:{upTo}:{offset}")));

    private async Task<GraphCaller?> AuthenticateAsync(HttpContext context)
    {
        var (caller, error) = await graph.Tokens.ValidateAsync(context.Request.Headers.Authorization.FirstOrDefault()).ConfigureAwait(false);
        if (caller is null)
        {
            await Error(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", error!).ConfigureAwait(false);
        }

        return caller;
    }

    private async Task CreateSubscriptionAsync(HttpContext context)
    {
        graph.Count("createSubscription");
        if (await AuthenticateAsync(context).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var json = await ReadJsonAsync(context).ConfigureAwait(false);
        var resource = json?["resource"]?.GetValue<string>() ?? string.Empty;
        var match = System.Text.RegularExpressions.Regex.Match(resource, @"^/?(?:users|Users)/(?<user>[^/]+)/mailFolders(?:\('(?<f1>[^']+)'\)|/(?<f2>[^/]+))/messages$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        var mailbox = match.Success ? graph.Directory.FindMailbox(Uri.UnescapeDataString(match.Groups["user"].Value)) : null;
        var folder = mailbox is null ? null : GraphJson.FindFolder(mailbox, match.Groups["f1"].Success ? match.Groups["f1"].Value : match.Groups["f2"].Value);
        if (mailbox is null || folder is null)
        {
            await Error(context, HttpStatusCode.BadRequest, "ExtensionError", $"Operation: Create; Exception: [Status Code: BadRequest; Reason: The resource '{resource}' is not a mail folder's messages of a mailbox.]").ConfigureAwait(false);
            return;
        }

        if (Refusal(caller, mailbox, Need.Read) is { } refusal)
        {
            await Error(context, HttpStatusCode.Forbidden, "ExtensionError", $"Operation: Create; Exception: [Status Code: Forbidden; Reason: {refusal}]").ConfigureAwait(false);
            return;
        }

        var now = graph.TimeProvider.GetUtcNow();
        if (!TryExpiration(json, now, out var expiration, out var expirationError))
        {
            await Error(context, HttpStatusCode.BadRequest, "InvalidRequest", expirationError).ConfigureAwait(false);
            return;
        }

        if (!TryNotificationUrl(json?["notificationUrl"]?.GetValue<string>(), out var notificationUrl)
            || (json?["lifecycleNotificationUrl"]?.GetValue<string>() is { } lifecycleText && !TryNotificationUrl(lifecycleText, out _)))
        {
            await Error(context, HttpStatusCode.BadRequest, "InvalidRequest", "Invalid notification url. The notification url must use https (plain http is accepted on loopback by the emulator only).").ConfigureAwait(false);
            return;
        }

        TryNotificationUrl(json?["lifecycleNotificationUrl"]?.GetValue<string>(), out var lifecycleUrl);
        if (!await GraphSubscriptionStore.ValidateEndpointAsync(notificationUrl!, context.RequestAborted).ConfigureAwait(false)
            || (lifecycleUrl is not null && !await GraphSubscriptionStore.ValidateEndpointAsync(lifecycleUrl, context.RequestAborted).ConfigureAwait(false)))
        {
            await Error(context, HttpStatusCode.BadRequest, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.").ConfigureAwait(false);
            return;
        }

        var subscription = new EmulatorGraphSubscription(
            Guid.NewGuid().ToString(),
            resource,
            json?["changeType"]?.GetValue<string>() ?? "created",
            notificationUrl!,
            lifecycleUrl,
            json?["clientState"]?.GetValue<string>(),
            expiration,
            mailbox,
            folder.Name,
            caller.Application.ClientId);
        graph.Subscriptions.Add(subscription);
        await GraphJson.WriteAsync(context, SubscriptionJson(subscription), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task RenewSubscriptionAsync(HttpContext context)
    {
        graph.Count("renewSubscription");
        if (await AuthenticateAsync(context).ConfigureAwait(false) is null)
        {
            return;
        }

        if (graph.Subscriptions.Find(Route(context, "id")) is not { } subscription)
        {
            await Error(context, HttpStatusCode.NotFound, "ResourceNotFound", "The object was not found.").ConfigureAwait(false);
            return;
        }

        var json = await ReadJsonAsync(context).ConfigureAwait(false);
        if (!TryExpiration(json, graph.TimeProvider.GetUtcNow(), out var expiration, out var error))
        {
            await Error(context, HttpStatusCode.BadRequest, "InvalidRequest", error).ConfigureAwait(false);
            return;
        }

        subscription.Expiration = expiration;
        subscription.Renewals++;
        await GraphJson.WriteAsync(context, SubscriptionJson(subscription)).ConfigureAwait(false);
    }

    private async Task ReauthorizeSubscriptionAsync(HttpContext context)
    {
        graph.Count("reauthorizeSubscription");
        if (await AuthenticateAsync(context).ConfigureAwait(false) is null)
        {
            return;
        }

        context.Response.StatusCode = graph.Subscriptions.Find(Route(context, "id")) is null ? StatusCodes.Status404NotFound : StatusCodes.Status204NoContent;
    }

    private async Task DeleteSubscriptionAsync(HttpContext context)
    {
        graph.Count("deleteSubscription");
        if (await AuthenticateAsync(context).ConfigureAwait(false) is null)
        {
            return;
        }

        context.Response.StatusCode = graph.Subscriptions.Remove(Route(context, "id")) ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
    }

    private static bool TryExpiration(JsonObject? json, DateTimeOffset now, out DateTimeOffset expiration, out string error)
    {
        error = string.Empty;
        if (json?["expirationDateTime"]?.GetValue<string>() is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiration))
        {
            expiration = default;
            error = "expirationDateTime is required.";
            return false;
        }

        if (expiration <= now)
        {
            error = "Subscription expiration must be in the future.";
            return false;
        }

        if (expiration > now.AddMinutes(EmulatorGraph.MaxSubscriptionMinutes))
        {
            error = $"Subscription expiration can only be {EmulatorGraph.MaxSubscriptionMinutes} minutes in the future.";
            return false;
        }

        return true;
    }

    private static bool TryNotificationUrl(string? text, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        url = parsed;
        return parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback);
    }

    private static JsonObject SubscriptionJson(EmulatorGraphSubscription subscription) => new()
    {
        ["@odata.type"] = "#microsoft.graph.subscription",
        ["id"] = subscription.Id,
        ["resource"] = subscription.Resource,
        ["changeType"] = subscription.ChangeType,
        ["notificationUrl"] = subscription.NotificationUrl.ToString(),
        ["lifecycleNotificationUrl"] = subscription.LifecycleNotificationUrl?.ToString(),
        ["expirationDateTime"] = subscription.Expiration.ToString("O", CultureInfo.InvariantCulture),
        ["applicationId"] = subscription.ClientId,
    };
}
