using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The delegated accounts' token cache entries: a memory layer (L1) in front of the configured store (L2: files or the host's
/// <see cref="IDistributedCache"/>), every entry protected with Data Protection before it leaves the process.
/// </summary>
/// <remarks>
/// Reads go to the L2 when there is one: an entry is read only when MSAL is about to use a refresh token (the access token
/// itself is served by the token provider's fast path), and a refresh token another instance has since rotated must not be
/// redeemed from a stale memory copy. The L1 then serves only while the L2 cannot be reached, and is the whole store for
/// <see cref="TokenCacheStorage.Memory"/>. An entry that cannot be decrypted or parsed is logged and treated as a miss.
/// </remarks>
internal sealed partial class TokenCacheEntryStore
{
    private readonly ConcurrentDictionary<string, TokenCacheEntry> _memory = new(StringComparer.Ordinal);
    private readonly Lazy<IDistributedCache?> _store;
    private readonly Lazy<IDataProtector> _protector;
    private readonly ILogger<TokenCacheEntryStore> _logger;

    public TokenCacheEntryStore(IOptions<TokenCacheOptions> options, IServiceProvider services, ILogger<TokenCacheEntryStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _logger = logger;

        // Resolved on first use, so that hosts with app-only providers only never need a folder, a cache or a key ring.
        _store = new Lazy<IDistributedCache?>(() => CreateStore(options.Value, services));
        _protector = new Lazy<IDataProtector>(() => CreateProtector(services));
    }

    /// <summary>Whether other processes may write the same entries (a folder or a distributed cache), not memory only.</summary>
    public bool IsShared => _store.Value is not null;

    /// <summary>Where entries are kept, for logs.</summary>
    public string Describe() => _store.Value switch
    {
        null => "memory",
        FileDistributedCache files => $"folder {files.Directory}",
        var other => other.GetType().Name,
    };

    public async Task<TokenCacheEntry?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var store = _store.Value;
        if (store is null)
        {
            return _memory.GetValueOrDefault(key);
        }

        byte[]? stored;
        try
        {
            stored = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var fallback = _memory.GetValueOrDefault(key);
            LogStoreReadFailed(exception, key, fallback is not null);
            return fallback;
        }

        if (stored is null)
        {
            _memory.TryRemove(key, out _);
            return null;
        }

        var entry = Unprotect(key, stored);
        if (entry is null)
        {
            _memory.TryRemove(key, out _);
            return null;
        }

        _memory[key] = entry;
        return entry;
    }

    public async Task WriteAsync(string key, TokenCacheEntry entry, CancellationToken cancellationToken)
    {
        _memory[key] = entry;
        if (_store.Value is { } store)
        {
            var protectedBytes = _protector.Value.Protect(entry.ToBytes());
            await store.SetAsync(key, protectedBytes, new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _memory.TryRemove(key, out _);
        if (_store.Value is { } store)
        {
            await store.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private TokenCacheEntry? Unprotect(string key, byte[] stored)
    {
        byte[] plain;
        try
        {
            plain = _protector.Value.Unprotect(stored);
        }
        catch (CryptographicException exception)
        {
            // Corrupt, tampered with, or protected with a key this key ring does not hold (machines not sharing the key ring).
            LogEntryUnreadable(exception, key);
            return null;
        }

        var entry = TokenCacheEntry.TryParse(plain);
        if (entry is null)
        {
            LogEntryUnreadable(null, key);
        }

        return entry;
    }

    private static IDistributedCache? CreateStore(TokenCacheOptions options, IServiceProvider services) => options.Storage switch
    {
        TokenCacheStorage.Memory => null,
        TokenCacheStorage.Distributed => services.GetService<IDistributedCache>() ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            "The token cache is set to Distributed, but no IDistributedCache is registered.",
            "Register one before the SDK is used, e.g. services.AddStackExchangeRedisCache(...), or use the file token cache."),
        _ => new FileDistributedCache(options.Directory ?? TokenCacheOptions.DefaultDirectory ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            "The token cache is set to File, but this account has no local application data folder to put it in.",
            "Set TokenCacheOptions.Directory (builder.UseFileTokenCache(folder)) to a folder only the host's account can read.")),
    };

    private static IDataProtector CreateProtector(IServiceProvider services) =>
        services.GetRequiredService<ModernAuthDataProtection>().CreateProtector(TokenCacheOptions.DataProtectionPurpose);
}
