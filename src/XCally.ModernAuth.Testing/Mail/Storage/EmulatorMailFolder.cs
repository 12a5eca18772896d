namespace XCally.ModernAuth.Testing.Mail.Storage;

/// <summary>A folder of a mailbox (INBOX, Sent Items…): ordered messages with IMAP UIDs, and a signal for IDLE sessions.</summary>
internal sealed class EmulatorMailFolder
{
    private static int s_nextUidValidity;

    private readonly object _gate = new();
    private readonly List<EmulatorStoredMessage> _messages = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(uint Uid, long Change)> _removed = [];
    private uint _uidNext = 1;
    private long _change;

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
            message = new EmulatorStoredMessage(_uidNext++, raw, internalDate, flags) { Change = ++_change };
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
            _change++;
            _removed.AddRange(_messages.Where(m => set.Contains(m.Uid)).Select(m => (m.Uid, _change)));
            _messages.RemoveAll(m => set.Contains(m.Uid));
        }

        SignalChanged();
    }

    /// <summary>Replaces a message's content in place, keeping its UID (a Graph draft that gained an attachment).</summary>
    public void Replace(uint uid, byte[] raw)
    {
        lock (_gate)
        {
            var index = _messages.FindIndex(m => m.Uid == uid);
            if (index >= 0)
            {
                var old = _messages[index];
                _messages[index] = new EmulatorStoredMessage(uid, raw, old.InternalDate, old.GetFlags()) { Change = ++_change };
            }
        }
    }

    /// <summary>Records that a message changed (read, flagged), for Graph's delta queries.</summary>
    public void Touch(EmulatorStoredMessage message)
    {
        lock (_gate)
        {
            message.Change = ++_change;
        }
    }

    /// <summary>
    /// What changed after change number <paramref name="since"/> (0: everything in the folder): the messages added or changed,
    /// in order of change, the UIDs removed, and the folder's change number now.
    /// </summary>
    public (EmulatorStoredMessage[] Changed, uint[] Removed, long Now) ChangesSince(long since)
    {
        lock (_gate)
        {
            var changed = _messages.Where(m => m.Change > since).OrderBy(m => m.Change).ToArray();
            var removed = since == 0 ? [] : _removed.Where(r => r.Change > since).Select(r => r.Uid).ToArray();
            return (changed, removed, _change);
        }
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
