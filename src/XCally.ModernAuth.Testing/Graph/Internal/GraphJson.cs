using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;
using MimeKit;
using XCally.ModernAuth.Testing.Mail.Storage;

namespace XCally.ModernAuth.Testing.Graph.Internal;

/// <summary>Graph's JSON: error bodies, messages, folders, and the ids of messages and folders.</summary>
internal static class GraphJson
{
    private static readonly (string WellKnown, string Folder)[] WellKnownFolders =
    [
        ("inbox", EmulatorMailbox.Inbox),
        ("sentitems", EmulatorMailbox.SentItems),
        ("deleteditems", EmulatorMailbox.DeletedItems),
        ("drafts", EmulatorMailbox.Drafts),
        ("junkemail", EmulatorMailbox.JunkEmail),
    ];

    /// <summary>Writes <c>{"error":{"code":…,"message":…,"innerError":{…}}}</c> as Graph does.</summary>
    public static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message, TimeSpan? retryAfter = null)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["request-id"] = requestId;
        context.Response.Headers["client-request-id"] = context.Request.Headers["client-request-id"].FirstOrDefault() ?? requestId;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status == HttpStatusCode.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        }

        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = requestId,
                },
            },
        };
        return WriteAsync(context, body, (int)status);
    }

    public static Task WriteAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static string MessageId(EmulatorMailFolder folder, uint uid) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{folder.Name}\n{folder.UidValidity}\n{uid}")));

    public static (EmulatorMailFolder Folder, EmulatorStoredMessage Message)? FindMessage(EmulatorMailbox mailbox, string id)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(id)).Split('\n');
        }
        catch (FormatException)
        {
            return null;
        }

        if (parts.Length != 3 || mailbox.FindFolder(parts[0]) is not { } folder
            || !uint.TryParse(parts[1], CultureInfo.InvariantCulture, out var validity) || validity != folder.UidValidity
            || !uint.TryParse(parts[2], CultureInfo.InvariantCulture, out var uid) || folder.Find(uid) is not { } message)
        {
            return null;
        }

        return (folder, message);
    }

    /// <summary>A folder by Graph's well-known name, its id, or its display name.</summary>
    public static EmulatorMailFolder? FindFolder(EmulatorMailbox mailbox, string idOrName)
    {
        var trimmed = idOrName.Trim('\'', '"');
        foreach (var (wellKnown, folder) in WellKnownFolders)
        {
            if (string.Equals(trimmed, wellKnown, StringComparison.OrdinalIgnoreCase))
            {
                return mailbox.FindFolder(folder);
            }
        }

        return mailbox.MailFolders.FirstOrDefault(f => string.Equals(FolderId(f), trimmed, StringComparison.Ordinal))
            ?? mailbox.MailFolders.FirstOrDefault(f => string.Equals(f.Name, trimmed, StringComparison.OrdinalIgnoreCase));
    }

    public static string FolderId(EmulatorMailFolder folder) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("folder\n" + folder.Name));

    public static JsonObject Folder(EmulatorMailFolder folder) => new()
    {
        ["id"] = FolderId(folder),
        ["displayName"] = string.Equals(folder.Name, EmulatorMailbox.Inbox, StringComparison.Ordinal) ? "Inbox" : folder.Name,
        ["totalItemCount"] = folder.Snapshot().Length,
        ["unreadItemCount"] = folder.Snapshot().Count(m => !m.HasFlag("\\Seen")),
    };

    public static JsonObject Message(EmulatorMailFolder folder, EmulatorStoredMessage stored)
    {
        var message = stored.Message;
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.message",
            ["id"] = MessageId(folder, stored.Uid),
            ["createdDateTime"] = stored.InternalDate.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["receivedDateTime"] = stored.InternalDate.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["sentDateTime"] = message.Date.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["subject"] = message.Subject,
            ["internetMessageId"] = message.MessageId is { } id ? $"<{id}>" : null,
            ["isRead"] = stored.HasFlag("\\Seen"),
            ["isDraft"] = string.Equals(folder.Name, EmulatorMailbox.Drafts, StringComparison.Ordinal),
            ["hasAttachments"] = message.Attachments.Any(),
            ["parentFolderId"] = FolderId(folder),
            ["from"] = message.From.Mailboxes.FirstOrDefault() is { } from ? Recipient(from) : null,
            ["toRecipients"] = new JsonArray([.. message.To.Mailboxes.Select(Recipient)]),
            ["ccRecipients"] = new JsonArray([.. message.Cc.Mailboxes.Select(Recipient)]),
        };
    }

    /// <summary>A message from Graph's JSON form (subject, body, recipients, attachments): what <c>sendMail</c> and drafts accept.</summary>
    public static MimeMessage ToMime(JsonObject json, string sender)
    {
        var message = new MimeMessage();
        message.From.Add(json["from"]?["emailAddress"]?["address"]?.GetValue<string>() is { } from ? MailboxAddress.Parse(from) : MailboxAddress.Parse(sender));
        message.Subject = json["subject"]?.GetValue<string>() ?? string.Empty;
        AddRecipients(message.To, json["toRecipients"]);
        AddRecipients(message.Cc, json["ccRecipients"]);
        AddRecipients(message.Bcc, json["bccRecipients"]);
        var body = new BodyBuilder();
        var content = json["body"]?["content"]?.GetValue<string>() ?? string.Empty;
        if (string.Equals(json["body"]?["contentType"]?.GetValue<string>(), "html", StringComparison.OrdinalIgnoreCase))
        {
            body.HtmlBody = content;
        }
        else
        {
            body.TextBody = content;
        }

        foreach (var attachment in json["attachments"]?.AsArray() ?? [])
        {
            body.Attachments.Add(
                attachment?["name"]?.GetValue<string>() ?? "attachment",
                Convert.FromBase64String(attachment?["contentBytes"]?.GetValue<string>() ?? string.Empty),
                ContentType.Parse(attachment?["contentType"]?.GetValue<string>() ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        foreach (var header in json["internetMessageHeaders"]?.AsArray() ?? [])
        {
            if (header?["name"]?.GetValue<string>() is { } name && header["value"]?.GetValue<string>() is { } value)
            {
                message.Headers.Add(name, value);
            }
        }

        return message;
    }

    private static JsonObject Recipient(MailboxAddress address) =>
        new() { ["emailAddress"] = new JsonObject { ["name"] = string.IsNullOrEmpty(address.Name) ? address.Address : address.Name, ["address"] = address.Address } };

    private static void AddRecipients(InternetAddressList list, JsonNode? recipients)
    {
        foreach (var recipient in recipients?.AsArray() ?? [])
        {
            if (recipient?["emailAddress"]?["address"]?.GetValue<string>() is { } address)
            {
                list.Add(new MailboxAddress(recipient["emailAddress"]?["name"]?.GetValue<string>(), address));
            }
        }
    }
}
