using MimeKit;

namespace XCally.ModernAuth.Testing.Mail.Storage;

/// <summary>One message in a folder: its raw bytes as delivered, its UID, internal date and flags.</summary>
internal sealed class EmulatorStoredMessage
{
    private readonly object _gate = new();
    private readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<MimeMessage> _message;

    public EmulatorStoredMessage(uint uid, byte[] raw, DateTimeOffset internalDate, IEnumerable<string>? flags)
    {
        Uid = uid;
        Raw = raw;
        InternalDate = internalDate;
        if (flags is not null)
        {
            _flags.UnionWith(flags);
        }

        _message = new Lazy<MimeMessage>(() => MimeMessage.Load(new MemoryStream(Raw, writable: false)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public uint Uid { get; }

    /// <summary>The folder's change number when the message was added or last changed (Graph delta).</summary>
    public long Change { get; set; }

    /// <summary>The message as delivered (CRLF line endings); never changed.</summary>
    public byte[] Raw { get; }

    public DateTimeOffset InternalDate { get; }

    /// <summary>The parsed message, shared: callers must not change it.</summary>
    public MimeMessage Message => _message.Value;

    public string[] GetFlags()
    {
        lock (_gate)
        {
            return [.. _flags];
        }
    }

    public bool HasFlag(string flag)
    {
        lock (_gate)
        {
            return _flags.Contains(flag);
        }
    }

    /// <summary>Adds, removes or replaces flags.</summary>
    /// <param name="mode">'+' to add, '-' to remove, anything else to replace.</param>
    /// <param name="flags">The flags.</param>
    public void ChangeFlags(char mode, IReadOnlyCollection<string> flags)
    {
        lock (_gate)
        {
            switch (mode)
            {
                case '+':
                    _flags.UnionWith(flags);
                    break;
                case '-':
                    _flags.ExceptWith(flags);
                    break;
                default:
                    _flags.Clear();
                    _flags.UnionWith(flags);
                    break;
            }
        }
    }
}
