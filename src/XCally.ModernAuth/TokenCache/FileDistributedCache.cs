using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// An <see cref="IDistributedCache"/> on a local folder, one file per key (the key hashed into the file name). Writes go to a
/// temporary file in the same folder that is then renamed over the entry, so a reader (this process or another) sees the old
/// or the new entry, never half of one; sharing violations (Windows) are retried briefly. Expiration options are ignored:
/// token cache entries carry their own lifetimes.
/// </summary>
/// <remarks>
/// Outside Windows the folder is the owner's only (<c>0700</c>) and every entry file too (<c>0600</c>): the entries are
/// encrypted, but their presence is still information, and the key ring may sit beside them. <see cref="Secure"/> creates the
/// folder so, tightens one that is open to the group or others (logging that it did), and refuses one it cannot tighten.
/// </remarks>
internal sealed partial class FileDistributedCache(string directory, ILogger? logger = null) : IDistributedCache
{
    private const int Attempts = 6;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Directory { get; } = directory;

    /// <summary>
    /// Creates the folder for the owner only, or makes an existing one so (and its entry files), logging what it changed.
    /// </summary>
    /// <exception cref="ModernAuthException">The folder is open to other users and cannot be restricted (another owner).</exception>
    public void Secure() => SecureFolder(Directory, _logger);

    /// <summary>The same as <see cref="Secure"/> for any folder the SDK keeps secrets in (the token cache, its key ring).</summary>
    public static void SecureFolder(string folder, ILogger logger)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(folder);
            }
            else
            {
                System.IO.Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }

            return;
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(folder);
        if ((mode & GroupOrOthers) != 0)
        {
            try
            {
                File.SetUnixFileMode(folder, mode & ~GroupOrOthers);
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                throw new ModernAuthException(
                    ModernAuthErrorCategory.InvalidConfiguration,
                    $"The folder '{folder}' holds token cache entries or their keys, and other users may open it (mode {Octal(mode)}); this account cannot restrict it.",
                    $"As the folder's owner run: chmod 700 '{folder}', or set TokenCacheOptions.Directory (builder.UseFileTokenCache(folder)) to a folder only the host's account can read.",
                    exception);
            }

            LogFolderTightened(logger, folder, Octal(mode));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(folder))
        {
            try
            {
                var fileMode = File.GetUnixFileMode(file);
                if ((fileMode & GroupOrOthers) != 0)
                {
                    File.SetUnixFileMode(file, fileMode & ~GroupOrOthers);
                }
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                // The folder is the owner's only now, so another user cannot reach the file through it anyway.
            }
        }
    }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var path = PathFor(key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    var bytes = new byte[stream.Length];
                    await stream.ReadExactlyAsync(bytes, token).ConfigureAwait(false);
                    return bytes;
                }
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException) when (attempt < Attempts)
            {
                await Task.Delay(10 * attempt, token).ConfigureAwait(false);
            }
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureDirectory();
        var path = PathFor(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, CreateOptions());
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(value, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    File.Move(temporary, path, overwrite: true);
                    return;
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException && attempt < Attempts)
                {
                    await Task.Delay(10 * attempt, token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        var path = PathFor(key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                File.Delete(path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException && attempt < Attempts)
            {
                await Task.Delay(10 * attempt, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The file of a key: its SHA-256 in hex, safe on every file system whatever the key holds.</summary>
    public string PathFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLower(CultureInfo.InvariantCulture);
        return Path.Combine(Directory, name + ".bin");
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            SecureFolder(Directory, _logger);
        }
    }

    // Entry files are the owner's only from the moment they exist (the rename keeps the mode).
    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 4096,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning,
        Message = "The folder '{Folder}' of the token cache was open to other users (mode {Mode}); it was restricted to its owner (0700).")]
    private static partial void LogFolderTightened(ILogger logger, string folder, string mode);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless; it is never read.
        }
    }
}
