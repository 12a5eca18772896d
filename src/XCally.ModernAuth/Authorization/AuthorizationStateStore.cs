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
/// <see cref="TimeProvider"/>. With the distributed token cache they are kept (protected) in the host's
/// <see cref="IDistributedCache"/>, so the callback may reach another instance than the one that started the sign-in;
/// otherwise in memory. The <c>state</c> itself is random and only its hash is used as a key.
/// </summary>
internal sealed class AuthorizationStateStore
{
    public const string DataProtectionPurpose = "XCally.ModernAuth.AuthorizationState";
    private const string KeyPrefix = "xcally-modernauth-state-";

    private readonly ConcurrentDictionary<string, AuthorizationState> _memory = new(StringComparer.Ordinal);
    private readonly Lazy<IDistributedCache?> _distributed;
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
        _distributed = new Lazy<IDistributedCache?>(() =>
            cacheOptions.Value.Storage == TokenCacheStorage.Distributed ? services.GetService<IDistributedCache>() : null);
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
        if (_distributed.Value is { } distributed)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(entry, AuthorizationStateJsonContext.Default.AuthorizationState);
            await distributed.SetAsync(
                key,
                _protector.Value.Protect(json),
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime + TimeSpan.FromMinutes(1) },
                cancellationToken).ConfigureAwait(false);
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
        if (_distributed.Value is { } distributed)
        {
            var stored = await distributed.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return (null, false);
            }

            await distributed.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
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
