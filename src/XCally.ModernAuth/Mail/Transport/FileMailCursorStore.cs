using System.Security.Cryptography;
using System.Text;

namespace XCally.ModernAuth;

/// <summary>
/// An <see cref="IMailCursorStore"/> in a directory: one small file per account and folder, written whole through a temporary
/// file so a crash never leaves half a cursor. Cursors hold no token or secret.
/// </summary>
public sealed class FileMailCursorStore : IMailCursorStore
{
    private readonly string _directory;

    /// <summary>Creates the store; the directory is made when missing.</summary>
    /// <param name="directory">Where the cursor files live.</param>
    public FileMailCursorStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetAsync(string accountAddress, string folder, CancellationToken cancellationToken = default)
    {
        var path = PathOf(accountAddress, folder);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string accountAddress, string folder, string cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var path = PathOf(accountAddress, folder);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(temporary, cursor, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public override string ToString() => $"FileMailCursorStore {_directory}";

    // A hash keeps any address and folder name a valid, fixed-length file name.
    private string PathOf(string accountAddress, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountAddress);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var key = $"{accountAddress.ToUpperInvariant()}\n{folder.ToUpperInvariant()}";
        return Path.Combine(_directory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant() + ".cursor");
    }
}
