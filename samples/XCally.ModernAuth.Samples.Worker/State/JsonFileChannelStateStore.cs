using System.Text.Json;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// An <see cref="IChannelStateStore"/> in one JSON file (account address → state), so that a restarted worker resumes where it
/// stopped. Each save rewrites a temporary file and moves it over the old one, so a crash never leaves half a file.
/// </summary>
public sealed class JsonFileChannelStateStore : IChannelStateStore, IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _path;
    private Dictionary<string, ChannelState>? _states;

    /// <summary>Creates a store; the file is read on first use and created on first save.</summary>
    /// <param name="path">The file.</param>
    public JsonFileChannelStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc />
    public async ValueTask<ChannelState?> GetAsync(string accountAddress, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return (await LoadAsync(cancellationToken)).GetValueOrDefault(accountAddress);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string accountAddress, ChannelState state, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var all = await LoadAsync(cancellationToken);
            all[accountAddress] = state;
            var temporary = _path + ".tmp";
            await using (var stream = File.Create(temporary))
            {
                // Not cancellable: once started, the write completes, so the file always matches what was handled.
                await JsonSerializer.SerializeAsync(stream, all, JsonOptions, CancellationToken.None);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async ValueTask<Dictionary<string, ChannelState>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_states is null)
        {
            Dictionary<string, ChannelState>? loaded = null;
            if (File.Exists(_path))
            {
                await using var stream = File.OpenRead(_path);
                loaded = await JsonSerializer.DeserializeAsync<Dictionary<string, ChannelState>>(stream, JsonOptions, cancellationToken);
            }

            _states = new Dictionary<string, ChannelState>(loaded ?? [], StringComparer.OrdinalIgnoreCase);
        }

        return _states;
    }
}
