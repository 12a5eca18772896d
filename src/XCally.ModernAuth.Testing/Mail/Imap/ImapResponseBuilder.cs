using System.Globalization;
using System.Text;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>Builds IMAP response bytes: atoms, strings as NIL, quoted or literal as needed, and raw literals.</summary>
internal sealed class ImapResponseBuilder
{
    private readonly MemoryStream _buffer = new();

    public long Length => _buffer.Length;

    public ImapResponseBuilder Append(string ascii)
    {
        _buffer.Write(Encoding.UTF8.GetBytes(ascii));
        return this;
    }

    public ImapResponseBuilder Append(uint number) => Append(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends a string: NIL for <see langword="null"/>, quoted when it is plain ASCII, otherwise a UTF-8 literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public ImapResponseBuilder AppendString(string? value)
    {
        if (value is null)
        {
            return Append("NIL");
        }

        if (value.Length < 1024 && value.All(c => c is >= ' ' and <= '~'))
        {
            return Append("\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"");
        }

        return AppendLiteral(Encoding.UTF8.GetBytes(value));
    }

    public ImapResponseBuilder AppendLiteral(ReadOnlySpan<byte> bytes)
    {
        Append("{").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append("}\r\n");
        _buffer.Write(bytes);
        return this;
    }

    public ReadOnlyMemory<byte> ToMemory() => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);
}
