using System.Text;

namespace XCally.ModernAuth.Testing.Mail.Imap;

/// <summary>The kinds of token in an IMAP command.</summary>
internal enum ImapTokenKind
{
    /// <summary>An atom, e.g. a tag, a command name, a sequence set or a FETCH item with its section.</summary>
    Atom,

    /// <summary>A quoted string or a literal.</summary>
    String,

    /// <summary>A parenthesized list.</summary>
    List,
}

/// <summary>One token of a parsed IMAP command.</summary>
internal sealed class ImapToken
{
    private ImapToken(ImapTokenKind kind, string text, byte[]? bytes, List<ImapToken>? children)
    {
        Kind = kind;
        Text = text;
        Bytes = bytes;
        Children = children ?? [];
    }

    public ImapTokenKind Kind { get; }

    /// <summary>The atom or string (a literal as Latin-1, byte for byte).</summary>
    public string Text { get; }

    /// <summary>A literal's bytes; <see langword="null"/> otherwise.</summary>
    public byte[]? Bytes { get; }

    public List<ImapToken> Children { get; }

    /// <summary>A string's text as UTF-8 (IMAP strings from MailKit are UTF-8 when not ASCII).</summary>
    public string Utf8Text => Bytes is null ? Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(Text)) : Encoding.UTF8.GetString(Bytes);

    public bool IsAtomOrString => Kind != ImapTokenKind.List;

    public static ImapToken Atom(string text) => new(ImapTokenKind.Atom, text, null, null);

    public static ImapToken Quoted(string text) => new(ImapTokenKind.String, text, null, null);

    public static ImapToken Literal(byte[] bytes) => new(ImapTokenKind.String, Encoding.Latin1.GetString(bytes), bytes, null);

    public static ImapToken List() => new(ImapTokenKind.List, string.Empty, null, []);

    /// <inheritdoc />
    public override string ToString() => Kind == ImapTokenKind.List ? $"({string.Join(' ', Children)})" : Text;
}
