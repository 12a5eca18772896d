using Microsoft.Graph.Models;
using MimeKit;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>Conversions between MimeKit messages and Graph's: attachments taken out for uploads, and the JSON form for sendMail.</summary>
internal static class GraphMessages
{
    public sealed record Attachment(string Name, string ContentType, byte[] Content);

    /// <summary>The message without its attachment parts, and the attachments' names, types and bytes.</summary>
    public static (MimeMessage Bare, IReadOnlyList<Attachment> Attachments) SplitAttachments(MimeMessage message)
    {
        using var copy = new MemoryStream();
        message.WriteTo(copy);
        copy.Position = 0;
        var bare = MimeMessage.Load(copy);
        var attachments = new List<Attachment>();
        Strip(bare.Body, attachments);
        if (bare.Body is MimePart { IsAttachment: true })
        {
            bare.Body = new TextPart("plain") { Text = string.Empty };
        }

        return (bare, attachments);
    }

    /// <summary>Graph's JSON message: subject, body, recipients, reply-to, custom headers (X-) and attachments.</summary>
    public static Message FromMime(MimeMessage message)
    {
        var html = message.HtmlBody;
        return new Message
        {
            Subject = message.Subject,
            Body = new ItemBody { ContentType = html is null ? BodyType.Text : BodyType.Html, Content = html ?? message.TextBody ?? string.Empty },
            From = message.From.Mailboxes.Select(Recipient).FirstOrDefault(),
            ToRecipients = [.. message.To.Mailboxes.Select(Recipient)],
            CcRecipients = [.. message.Cc.Mailboxes.Select(Recipient)],
            BccRecipients = [.. message.Bcc.Mailboxes.Select(Recipient)],
            ReplyTo = [.. message.ReplyTo.Mailboxes.Select(Recipient)],
            InternetMessageHeaders = [.. message.Headers.Where(h => h.Field.StartsWith("X-", StringComparison.OrdinalIgnoreCase)).Select(h => new InternetMessageHeader { Name = h.Field, Value = h.Value })],
            Attachments = [.. message.Attachments.OfType<MimePart>().Select(part => (Microsoft.Graph.Models.Attachment)new FileAttachment
            {
                OdataType = "#microsoft.graph.fileAttachment",
                Name = part.FileName ?? "attachment",
                ContentType = part.ContentType.MimeType,
                ContentBytes = Decode(part),
            })],
        };
    }

    private static Recipient Recipient(MailboxAddress address) =>
        new() { EmailAddress = new EmailAddress { Address = address.Address, Name = string.IsNullOrEmpty(address.Name) ? null : address.Name } };

    private static void Strip(MimeEntity? entity, List<Attachment> attachments)
    {
        if (entity is not Multipart multipart)
        {
            return;
        }

        for (var i = multipart.Count - 1; i >= 0; i--)
        {
            if (multipart[i] is MimePart { IsAttachment: true } part)
            {
                attachments.Insert(0, new Attachment(part.FileName ?? "attachment", part.ContentType.MimeType, Decode(part)));
                multipart.RemoveAt(i);
            }
            else
            {
                Strip(multipart[i], attachments);
            }
        }
    }

    private static byte[] Decode(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        return content.ToArray();
    }
}
