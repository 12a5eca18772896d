namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>A queue of injected faults, each good for a number of token requests, optionally for one client. Thread-safe.</summary>
internal sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];

    public void Add(EmulatorFault fault, int times, string? clientId)
    {
        lock (_gate)
        {
            _entries.Add(new Entry(fault, clientId) { Remaining = times });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Takes one use of the first fault that applies to this client, if any.</summary>
    public EmulatorFault? TryTake(string? clientId)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e.ClientId is null || string.Equals(e.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var entry = _entries[index];
            if (--entry.Remaining == 0)
            {
                _entries.RemoveAt(index);
            }

            return entry.Fault;
        }
    }

    private sealed class Entry(EmulatorFault fault, string? clientId)
    {
        public EmulatorFault Fault { get; } = fault;

        public string? ClientId { get; } = clientId;

        public int Remaining { get; set; }
    }
}
