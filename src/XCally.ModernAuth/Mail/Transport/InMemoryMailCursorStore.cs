using System.Collections.Concurrent;

namespace XCally.ModernAuth.Internal;

/// <summary>The default <see cref="IMailCursorStore"/>: cursors live as long as the process.</summary>
internal sealed class InMemoryMailCursorStore : IMailCursorStore
{
    private readonly ConcurrentDictionary<(string Account, string Folder), string> _cursors = new(CursorKeyComparer.Instance);

    public ValueTask<string?> GetAsync(string accountAddress, string folder, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cursors.TryGetValue((accountAddress, folder), out var cursor) ? cursor : null);

    public ValueTask SetAsync(string accountAddress, string folder, string cursor, CancellationToken cancellationToken = default)
    {
        _cursors[(accountAddress, folder)] = cursor;
        return ValueTask.CompletedTask;
    }

    private sealed class CursorKeyComparer : IEqualityComparer<(string Account, string Folder)>
    {
        public static readonly CursorKeyComparer Instance = new();

        public bool Equals((string Account, string Folder) x, (string Account, string Folder) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Account, y.Account) && StringComparer.OrdinalIgnoreCase.Equals(x.Folder, y.Folder);

        public int GetHashCode((string Account, string Folder) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Account), StringComparer.OrdinalIgnoreCase.GetHashCode(key.Folder));
    }
}
