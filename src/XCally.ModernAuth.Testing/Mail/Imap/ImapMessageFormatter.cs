using System.Globalization;
using MimeKit;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>Writes a message's ENVELOPE and BODYSTRUCTURE (RFC 3501 7.4.2) from its MimeKit parse, and cuts body sections.</summary>
internal static class ImapMessageFormatter
{
    public static void AppendEnvelope(ImapResponseBuilder output, MimeMessage message)
    {
        var headers = message.Headers;
        output.Append("(");
        output.AppendString(RawHeader(headers, HeaderId.Date)).Append(" ");
        output.AppendString(message.Subject).Append(" ");
        AppendAddresses(output, message.From);
        output.Append(" ");
        AppendAddresses(output, message.Sender is { } sender ? [sender] : message.From);
        output.Append(" ");
        AppendAddresses(output, message.ReplyTo.Count > 0 ? message.ReplyTo : message.From);
        output.Append(" ");
        AppendAddresses(output, message.To);
        output.Append(" ");
        AppendAddresses(output, message.Cc);
        output.Append(" ");
        AppendAddresses(output, message.Bcc);
        output.Append(" ");
        output.AppendString(RawHeader(headers, HeaderId.InReplyTo)).Append(" ");
        output.AppendString(RawHeader(headers, HeaderId.MessageId)).Append(")");
    }

    public static void AppendBodyStructure(ImapResponseBuilder output, MimeEntity entity)
    {
        if (entity is Multipart multipart && multipart.Count > 0)
        {
            output.Append("(");
            foreach (var child in multipart)
            {
                AppendBodyStructure(output, child);
            }

            output.Append(" ").AppendString(entity.ContentType.MediaSubtype.ToUpperInvariant()).Append(" ");
            AppendParameters(output, entity.ContentType.Parameters);
            output.Append(" ");
            AppendExtensions(output, entity);
            output.Append(")");
            return;
        }

        var type = entity.ContentType;
        var content = ContentBytes(entity);
        output.Append("(").AppendString(type.MediaType.ToUpperInvariant()).Append(" ").AppendString(type.MediaSubtype.ToUpperInvariant()).Append(" ");
        AppendParameters(output, type.Parameters);

        output.Append(" ").AppendString(entity.ContentId is { } id ? $"<{id}>" : null);
        output.Append(" ").AppendString(entity.Headers[HeaderId.ContentDescription]);
        output.Append(" ").AppendString(EncodingName(entity));
        output.Append(" ").Append(((uint)content.Length).ToString(CultureInfo.InvariantCulture));
        if (entity is MessagePart { Message: { } inner })
        {
            output.Append(" ");
            AppendEnvelope(output, inner);
            output.Append(" ");
            AppendBodyStructure(output, inner.Body ?? new TextPart("plain"));
            output.Append(" ").Append(CountLines(content));
        }
        else if (type.IsMimeType("text", "*"))
        {
            output.Append(" ").Append(CountLines(content));
        }

        // Extension data: MD5, then disposition, language and location, which MailKit reads to tell attachments apart.
        output.Append(" NIL ");
        AppendExtensions(output, entity);
        output.Append(")");
    }

    private static void AppendParameters(ImapResponseBuilder output, ParameterList parameters)
    {
        if (parameters.Count == 0)
        {
            output.Append("NIL");
            return;
        }

        output.Append("(");
        var first = true;
        foreach (var parameter in parameters)
        {
            output.Append(first ? string.Empty : " ").AppendString(parameter.Name.ToUpperInvariant()).Append(" ").AppendString(parameter.Value);
            first = false;
        }

        output.Append(")");
    }

    private static void AppendExtensions(ImapResponseBuilder output, MimeEntity entity)
    {
        if (entity.ContentDisposition is { } disposition)
        {
            output.Append("(").AppendString(disposition.Disposition.ToUpperInvariant()).Append(" ");
            AppendParameters(output, disposition.Parameters);
            output.Append(")");
        }
        else
        {
            output.Append("NIL");
        }

        output.Append(" NIL ").AppendString(entity.ContentLocation?.ToString());
    }

    /// <summary>The bytes of a body part without its headers, as its BODYSTRUCTURE size counts them.</summary>
    /// <param name="entity">The part.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ContentBytes(MimeEntity entity)
    {
        using var stream = new MemoryStream();
        entity.WriteTo(CrLf, stream, contentOnly: true);
        return stream.ToArray();
    }

    /// <summary>A part's own MIME headers with the blank line after them.</summary>
    /// <param name="entity">The part.</param>
    /// <returns>The bytes.</returns>
    public static byte[] HeaderBytes(MimeEntity entity)
    {
        using var stream = new MemoryStream();
        entity.Headers.WriteTo(CrLf, stream);
        stream.Write("\r\n"u8);
        return stream.ToArray();
    }

    /// <summary>The length of the header block of a raw message, including the blank line that ends it.</summary>
    /// <param name="raw">The message.</param>
    /// <returns>The length.</returns>
    public static int HeaderLength(byte[] raw)
    {
        for (var i = 0; i < raw.Length - 1; i++)
        {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < raw.Length && raw[i + 2] == '\n')))
            {
                return raw[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }

        return raw.Length;
    }

    /// <summary>The raw header fields whose names are (or, with <paramref name="exclude"/>, are not) in <paramref name="names"/>, then a blank line.</summary>
    /// <param name="raw">The message.</param>
    /// <param name="names">The field names.</param>
    /// <param name="exclude">Whether to keep the other fields instead.</param>
    /// <returns>The bytes.</returns>
    public static byte[] HeaderFields(byte[] raw, IReadOnlySet<string> names, bool exclude)
    {
        var end = HeaderLength(raw);
        using var output = new MemoryStream();
        var i = 0;
        var keep = false;
        while (i < end)
        {
            var lineEnd = Array.IndexOf(raw, (byte)'\n', i, end - i);
            var next = lineEnd < 0 ? end : lineEnd + 1;
            var length = (lineEnd < 0 ? end : lineEnd) - i;
            if (length > 0 && raw[i + length - 1] == '\r')
            {
                length--;
            }

            if (length == 0)
            {
                break;
            }

            if (raw[i] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = Array.IndexOf(raw, (byte)':', i, length);
                var name = colon < 0 ? string.Empty : System.Text.Encoding.Latin1.GetString(raw, i, colon - i).Trim();
                keep = names.Contains(name) != exclude;
            }

            if (keep)
            {
                output.Write(raw, i, length);
                output.Write("\r\n"u8);
            }

            i = next;
        }

        output.Write("\r\n"u8);
        return output.ToArray();
    }

    /// <summary>Finds a body part by its IMAP part number (<c>1</c>, <c>2.1</c>).</summary>
    /// <param name="message">The message.</param>
    /// <param name="path">The part numbers.</param>
    /// <returns>The part, or <see langword="null"/>.</returns>
    public static MimeEntity? FindPart(MimeMessage message, IReadOnlyList<int> path)
    {
        MimeEntity? current = message.Body;
        for (var depth = 0; depth < path.Count; depth++)
        {
            var number = path[depth];
            if (current is MessagePart { Message.Body: { } body } && depth > 0)
            {
                current = body;
            }

            if (current is Multipart multipart)
            {
                current = number >= 1 && number <= multipart.Count ? multipart[number - 1] : null;
            }
            else if (number != 1)
            {
                return null;
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static FormatOptions CrLf { get; } = CreateCrLf();

    private static FormatOptions CreateCrLf()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    private static string? RawHeader(HeaderList headers, HeaderId id) =>
        headers.IndexOf(id) is var index and >= 0 ? headers[index].Value.Trim() : null;

    private static string EncodingName(MimeEntity entity) =>
        entity is MimePart part ? part.ContentTransferEncoding switch
        {
            ContentEncoding.Base64 => "BASE64",
            ContentEncoding.QuotedPrintable => "QUOTED-PRINTABLE",
            ContentEncoding.EightBit => "8BIT",
            ContentEncoding.Binary => "BINARY",
            _ => "7BIT",
        } : "7BIT";

    private static string CountLines(byte[] content) =>
        content.Count(b => b == (byte)'\n').ToString(CultureInfo.InvariantCulture);

    private static void AppendAddresses(ImapResponseBuilder output, IEnumerable<InternetAddress> addresses)
    {
        var list = addresses.ToList();
        if (list.Count == 0)
        {
            output.Append("NIL");
            return;
        }

        output.Append("(");
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    AppendMailbox(output, mailbox);
                    break;
                case GroupAddress group:
                    output.Append("(NIL NIL ").AppendString(group.Name).Append(" NIL)");
                    foreach (var member in group.Members.Mailboxes)
                    {
                        AppendMailbox(output, member);
                    }

                    output.Append("(NIL NIL NIL NIL)");
                    break;
            }
        }

        output.Append(")");
    }

    private static void AppendMailbox(ImapResponseBuilder output, MailboxAddress mailbox)
    {
        var at = mailbox.Address.LastIndexOf('@');
        output.Append("(").AppendString(string.IsNullOrEmpty(mailbox.Name) ? null : mailbox.Name).Append(" NIL ");
        output.AppendString(at < 0 ? mailbox.Address : mailbox.Address[..at]).Append(" ");
        output.AppendString(at < 0 ? null : mailbox.Address[(at + 1)..]).Append(")");
    }
}
