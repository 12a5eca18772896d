namespace XCally.ModernAuth.Testing.Mail.Storage;

/// <summary>A folder of a mailbox (INBOX, Sent Items…): ordered messages with IMAP UIDs, and a signal for IDLE sessions.</summary>
internal sealed class EmulatorMailFolder
{
    private static int s_nextUidValidity;

    private readonly object _gate = new();
    private readonly List<EmulatorStoredMessage> _messages = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _uidNext = 1;

    public EmulatorMailFolder(string name)
    {
        Name = name;
        UidValidity = (uint)Interlocked.Increment(ref s_nextUidValidity);
    }

    public string Name { get; }

    public uint UidValidity { get; }

    public uint UidNext
    {
        get
        {
            lock (_gate)
            {
                return _uidNext;
            }
        }
    }

    /// <summary>The messages in UID order, as a copy.</summary>
    /// <returns>The messages.</returns>
    public EmulatorStoredMessage[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    public EmulatorStoredMessage? Find(uint uid)
    {
        lock (_gate)
        {
            var index = _messages.BinarySearch(new EmulatorStoredMessage(uid, [], default, null), UidComparer.Instance);
            return index >= 0 ? _messages[index] : null;
        }
    }

    public EmulatorStoredMessage Append(byte[] raw, DateTimeOffset internalDate, IEnumerable<string>? flags = null)
    {
        EmulatorStoredMessage message;
        lock (_gate)
        {
            message = new EmulatorStoredMessage(_uidNext++, raw, internalDate, flags);
            _messages.Add(message);
        }

        SignalChanged();
        return message;
    }

    public void Remove(IReadOnlyCollection<uint> uids)
    {
        if (uids.Count == 0)
        {
            return;
        }

        var set = uids as ISet<uint> ?? new HashSet<uint>(uids);
        lock (_gate)
        {
            _messages.RemoveAll(m => set.Contains(m.Uid));
        }

        SignalChanged();
    }

    /// <summary>A task that completes at the next change (a message added or removed).</summary>
    /// <returns>The task.</returns>
    public Task WhenChanged()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    private void SignalChanged()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private sealed class UidComparer : IComparer<EmulatorStoredMessage>
    {
        public static readonly UidComparer Instance = new();

        public int Compare(EmulatorStoredMessage? x, EmulatorStoredMessage? y) => x!.Uid.CompareTo(y!.Uid);
    }
}
