using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// An <see cref="IDistributedCache"/> on a local folder, one file per key (the key hashed into the file name). Writes go to a
/// temporary file in the same folder that is then renamed over the entry, so a reader (this process or another) sees the old
/// or the new entry, never half of one; sharing violations (Windows) are retried briefly. Expiration options are ignored:
/// token cache entries carry their own lifetimes.
/// </summary>
internal sealed class FileDistributedCache(string directory) : IDistributedCache
{
    private const int Attempts = 6;

    public string Directory { get; } = directory;

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
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
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
        if (System.IO.Directory.Exists(Directory))
        {
            return;
        }

        // Only the host's account may read the folder: the entries are encrypted, but their presence is still information.
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

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
