using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Started sign-ins by <c>state</c>: single use, expiring after <see cref="DelegatedAuthorizationOptions.StateLifetime"/> on the
/// <see cref="TimeProvider"/>. They are kept (protected) in the host's <see cref="ISignInStateStore"/> when one is registered
/// (the Redis package's takes each out atomically across instances); else, with the distributed token cache, in its
/// <see cref="IDistributedCache"/> (read, then removed), so the callback may reach another instance than the one that started
/// the sign-in; otherwise in memory. The <c>state</c> itself is random and only its hash is used as a key.
/// </summary>
internal sealed class AuthorizationStateStore
{
    public const string DataProtectionPurpose = "XCally.ModernAuth.AuthorizationState";
    private const string KeyPrefix = "xcally-modernauth-state-";

    private readonly ConcurrentDictionary<string, AuthorizationState> _memory = new(StringComparer.Ordinal);
    private readonly Lazy<ISignInStateStore?> _shared;
    private readonly Lazy<IDataProtector> _protector;
    private readonly TimeProvider _timeProvider;

    public AuthorizationStateStore(
        IOptions<TokenCacheOptions> cacheOptions,
        IOptions<DelegatedAuthorizationOptions> options,
        IServiceProvider services,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(cacheOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        Lifetime = options.Value.StateLifetime;
        _timeProvider = timeProvider;
        _shared = new Lazy<ISignInStateStore?>(() =>
            services.GetService<ISignInStateStore>()
            ?? (TokenCacheConfiguration.Read(cacheOptions).Storage == TokenCacheStorage.Distributed && TokenCacheConfiguration.DistributedCache(services) is { } distributed
                ? new DistributedCacheSignInStateStore(distributed)
                : null));
        _protector = new Lazy<IDataProtector>(() =>
            services.GetRequiredService<ModernAuthDataProtection>().CreateProtector(DataProtectionPurpose));
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Keeps a sign-in under a new random state, which it returns.</summary>
    public async Task<string> AddAsync(Func<DateTimeOffset, AuthorizationState> create, CancellationToken cancellationToken)
    {
        var state = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var entry = create(_timeProvider.GetUtcNow() + Lifetime);
        var key = KeyOf(state);
        if (_shared.Value is { } shared)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(entry, AuthorizationStateJsonContext.Default.AuthorizationState);
            await shared.AddAsync(key, _protector.Value.Protect(json), Lifetime + TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            PruneExpired();
            _memory[key] = entry;
        }

        return state;
    }

    /// <summary>Takes a sign-in out (it cannot be taken twice), or <see langword="null"/> when the state is unknown or used.</summary>
    /// <returns>The sign-in and whether it has expired.</returns>
    public async Task<(AuthorizationState? State, bool Expired)> TakeAsync(string state, CancellationToken cancellationToken)
    {
        var key = KeyOf(state);
        AuthorizationState? entry;
        if (_shared.Value is { } shared)
        {
            var stored = await shared.TakeAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return (null, false);
            }

            try
            {
                entry = JsonSerializer.Deserialize(_protector.Value.Unprotect(stored), AuthorizationStateJsonContext.Default.AuthorizationState);
            }
            catch (Exception exception) when (exception is CryptographicException or JsonException)
            {
                return (null, false);
            }
        }
        else if (!_memory.TryRemove(key, out entry))
        {
            return (null, false);
        }

        return entry is null ? (null, false) : (entry, entry.ExpiresOn <= _timeProvider.GetUtcNow());
    }

    /// <summary>The <c>IDistributedCache</c> fallback: read, then removed; single use within a process, not atomic across instances.</summary>
    private sealed class DistributedCacheSignInStateStore(IDistributedCache cache) : ISignInStateStore
    {
        public Task AddAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive }, cancellationToken);

        public async Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken = default)
        {
            var stored = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            }

            return stored;
        }
    }

    private static string KeyOf(string state) =>
        KeyPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(state))).ToLower(CultureInfo.InvariantCulture);

    private void PruneExpired()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (key, entry) in _memory)
        {
            if (entry.ExpiresOn <= now)
            {
                _memory.TryRemove(key, out _);
            }
        }
    }
}
