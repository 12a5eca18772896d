using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The token cache entries (delegated accounts, and app-only tokens when shared): a memory layer (L1) in front of the
/// configured store (L2: files or a distributed cache), every entry protected with Data Protection before it leaves the
/// process.
/// </summary>
/// <remarks>
/// <para>
/// Reads go to the L2 when there is one: an entry is read only when MSAL is about to use a refresh token (the access token
/// itself is served by the token provider's fast path), and a refresh token another instance has since rotated must not be
/// redeemed from a stale memory copy. The L1 is never dropped for the L2's sake: it serves while the L2 cannot be reached, and
/// an entry the L2 lost (a Redis restarted empty) or holds in an older version is written back. Revocation writes a removal
/// marker, so that a lost entry and a revoked one are told apart.
/// </para>
/// <para>
/// Writes go to both; a write the L2 refused (an outage, a full disk) is logged, counted and retried every
/// <see cref="TokenCacheOptions.WriteRetryInterval"/> under the entry's lock, and never fails the caller. Entries carry a version
/// (the write's time), so that a retried write never replaces a newer one. <see cref="EnterAsync"/> is the entry's lock: within
/// the process always, across instances with an <see cref="ITokenRefreshLock"/>.
/// </para>
/// </remarks>
internal sealed partial class TokenCacheEntryStore : IDisposable
{
    private static readonly TimeSpan RemovalMarkerLifetime = TimeSpan.FromDays(90);

    private readonly ConcurrentDictionary<string, LocalEntry> _memory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _writeFailuresLogged = new(StringComparer.Ordinal);
    private readonly KeyedAsyncLock _localLocks = new();
    private readonly Lazy<Backend> _backend;
    private readonly Lazy<IDataProtector> _protector;
    private readonly IServiceProvider _services;
    private readonly IOptions<TokenCacheOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TokenCacheEntryStore> _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly object _timerGate = new();
    private ITimer? _retryTimer;
    private StoreLossDetector? _lossDetector;
    private int _flushing;

    public TokenCacheEntryStore(IOptions<TokenCacheOptions> options, IServiceProvider services, ILogger<TokenCacheEntryStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options;
        _services = services;
        _logger = logger;
        _timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;

        // Resolved on first use, so that hosts with app-only providers only never need a folder, a cache or a key ring.
        _backend = new Lazy<Backend>(CreateBackend);
        _protector = new Lazy<IDataProtector>(() => services.GetRequiredService<ModernAuthDataProtection>().CreateProtector(TokenCacheOptions.DataProtectionPurpose));
    }

    /// <summary>Whether other processes may write the same entries (a folder or a distributed cache), not memory only.</summary>
    public bool IsShared => _backend.Value.Store is not null;

    /// <summary>Whether instances coordinate through an <see cref="ITokenRefreshLock"/>.</summary>
    public bool IsCoordinated => _backend.Value.Lock is not null;

    /// <summary>How many entries wait to be written to the store again (for tests and diagnostics).</summary>
    internal int PendingWrites => _memory.Values.Count(entry => entry.Pending);

    /// <summary>Whether a write-back or a check of the store is running in the background (for tests that move a fake clock).</summary>
    internal bool IsBusy => Volatile.Read(ref _flushing) != 0 || (_lossDetector?.IsBusy ?? false);

    /// <summary>How many writes to the store failed so far (for tests and diagnostics).</summary>
    internal int FailedWrites => Volatile.Read(ref _failedWrites);

    private int _failedWrites;

    /// <summary>Where entries are kept, for logs.</summary>
    public string Describe() => _backend.Value.Description;

    /// <summary>The entry as this process last saw or wrote it, without asking the store; <see langword="null"/> when none or removed.</summary>
    public TokenCacheEntry? PeekMemory(string key) => _memory.TryGetValue(key, out var local) && !local.Entry.IsRemoved ? local.Entry : null;

    /// <summary>The newest entry this process can see: the store's, or its own while the store cannot be reached or lost it.</summary>
    public async Task<TokenCacheEntry?> ReadAsync(string key, CancellationToken cancellationToken) =>
        (await ReadCoreAsync(key, underLease: false, cancellationToken).ConfigureAwait(false)).Entry;

    /// <summary>Like <see cref="ReadAsync"/>, for a caller that holds the entry's lease: a write-back happens at once.</summary>
    public Task<SharedRead> ReadUnderLeaseAsync(string key, CancellationToken cancellationToken) =>
        ReadCoreAsync(key, underLease: true, cancellationToken);

    /// <summary>Keeps an entry in both layers; a store that refuses it gets it again later. Never throws for the store's sake.</summary>
    public async Task WriteAsync(string key, TokenCacheEntry entry, CancellationToken cancellationToken)
    {
        var backend = _backend.Value;
        var local = KeepInMemory(key, entry, pending: backend.Store is not null);
        if (backend.Store is not null)
        {
            await WriteToStoreAsync(backend, key, local, restored: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keeps an entry in memory only, to be written with the next <see cref="WriteAsync"/> or <see cref="RecordTokenAsync"/>
    /// (or by the retry timer if neither comes). The token records of other scope sets are carried over.
    /// </summary>
    public void WriteToMemory(string key, TokenCacheEntry entry)
    {
        var carried = _memory.TryGetValue(key, out var local) && !local.Entry.IsRemoved
            ? new TokenCacheEntry(entry.ClientKind, entry.MsalCache, entry.Version, local.Entry.Tokens)
            : entry;
        KeepInMemory(key, carried, pending: _backend.Value.Store is not null);
        EnsureRetryTimer();
    }

    /// <summary>Records the access token just obtained for a scope set, and writes the entry.</summary>
    public async Task RecordTokenAsync(string key, IssuedToken token, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(key, out var local) && !local.Entry.IsRemoved)
        {
            await WriteAsync(key, local.Entry.WithToken(token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a sign-in: a removal marker in both layers (or nothing at all for memory-only storage).</summary>
    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        if (_backend.Value.Store is null)
        {
            _memory.TryRemove(key, out _);
            return;
        }

        await WriteAsync(key, TokenCacheEntry.Removed(0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The entry's lock: within the process always; across instances too when an <see cref="ITokenRefreshLock"/> is registered
    /// and answers. Dispose it to release.
    /// </summary>
    public async Task<CacheLease> EnterAsync(string key, CancellationToken cancellationToken)
    {
        var local = await _localLocks.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var backend = _backend.Value;
            if (backend.Lock is not { } shared)
            {
                return new CacheLease(local, null, CacheLeaseKind.Process, backend.Guard);
            }

            var options = backend.Options;
            var (succeeded, handle) = await backend.Guard.TryAsync(
                "lock",
                token => shared.TryAcquireAsync(key, options.RefreshLockTimeout, token).AsTask(),
                options.RefreshLockTimeout + options.DistributedCacheTimeout,
                cancellationToken).ConfigureAwait(false);
            if (succeeded && handle is null)
            {
                LogLockTimedOut(key, options.RefreshLockTimeout);
            }

            var kind = !succeeded ? CacheLeaseKind.Unavailable : handle is null ? CacheLeaseKind.TimedOut : CacheLeaseKind.Shared;
            return new CacheLease(local, handle, kind, backend.Guard);
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether an instance wrote this entry back into the store lately (the store had lost it, or held an older one): another
    /// instance may still be about to write a newer one, so nobody should redeem from it yet.
    /// </summary>
    private bool IsRestoredLately(TokenCacheEntry entry)
    {
        if (entry.RestoredOnTicks == 0)
        {
            return false;
        }

        var options = _backend.Value.Options;
        var noticed = options.DistributedCacheBreakDuration > StoreLossDetector.CheckInterval ? options.DistributedCacheBreakDuration : StoreLossDetector.CheckInterval;
        var grace = noticed + (3 * options.WriteRetryInterval);
        return _timeProvider.GetUtcNow().UtcTicks - entry.RestoredOnTicks < grace.Ticks;
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        lock (_timerGate)
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            _lossDetector?.Dispose();
        }

        _shutdown.Dispose();
    }

    private async Task<SharedRead> ReadCoreAsync(string key, bool underLease, CancellationToken cancellationToken)
    {
        var backend = _backend.Value;
        _memory.TryGetValue(key, out var local);
        if (backend.Store is not { } store)
        {
            return new SharedRead(Visible(local), SharedReadStatus.Current);
        }

        var (succeeded, stored) = await backend.Guard.TryAsync("read", token => store.GetAsync(key, token), cancellationToken).ConfigureAwait(false);
        if (!succeeded)
        {
            LogStoreReadFailed(key, Visible(local) is not null);
            return new SharedRead(Visible(local), SharedReadStatus.Unavailable);
        }

        var shared = stored is null ? null : Unprotect(key, stored);
        if (shared is null || (local is not null && local.Entry.Version > shared.Version))
        {
            if (local is null)
            {
                return new SharedRead(null, SharedReadStatus.Current);
            }

            // The store lost the entry (restarted empty, evicted) or holds an older one (a write that failed): this process's
            // copy is written back rather than dropped.
            if (shared is null && !local.Entry.IsRemoved)
            {
                LogWrittenBack(key);

                // A store that lost one entry probably lost them all (a Redis restarted empty): check every one this process holds.
                CheckAllAgainstStore();
            }

            var pending = MarkPending(key, local);
            if (underLease)
            {
                await WriteToStoreAsync(backend, key, pending, restored: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                EnsureRetryTimer();
            }

            return new SharedRead(Visible(pending), shared is null ? SharedReadStatus.Recovered : SharedReadStatus.Current);
        }

        var adopted = _memory.AddOrUpdate(
            key,
            static (_, shared) => new LocalEntry(shared, Pending: false),
            static (_, existing, shared) => existing.Entry.Version > shared.Version ? existing : new LocalEntry(shared, Pending: false),
            shared);
        var status = IsRestoredLately(shared) ? SharedReadStatus.Recovered : SharedReadStatus.Current;
        return new SharedRead(Visible(adopted), status);
    }

    private LocalEntry KeepInMemory(string key, TokenCacheEntry entry, bool pending)
    {
        var now = _timeProvider.GetUtcNow().UtcTicks;
        return _memory.AddOrUpdate(
            key,
            static (_, state) => new LocalEntry(state.Entry.WithVersion(Math.Max(state.Now, state.Entry.Version)), state.Pending),
            static (_, existing, state) => new LocalEntry(
                state.Entry.WithVersion(Math.Max(state.Now, Math.Max(state.Entry.Version, existing.Entry.Version + 1))), state.Pending),
            (Entry: entry, Now: now, Pending: pending));
    }

    /// <summary>
    /// Marks every entry this process holds to be compared with the store under its lock (the store's newer ones are taken, the
    /// others written back): after the store was out of reach, or when it turned out to have lost an entry.
    /// </summary>
    private void CheckAllAgainstStore()
    {
        if (_backend.Value.Store is null)
        {
            return;
        }

        foreach (var (key, local) in _memory)
        {
            if (!local.Pending)
            {
                _memory.TryUpdate(key, local with { Pending = true }, local);
            }
        }

        EnsureRetryTimer();
    }

    private LocalEntry MarkPending(string key, LocalEntry local)
    {
        var pending = local with { Pending = true };
        return _memory.TryUpdate(key, pending, local) ? pending : _memory.GetValueOrDefault(key, pending);
    }

    // A write-back (restored) is marked as such in the store, so that the other instances wait a moment for a newer one.
    private async Task<bool> WriteToStoreAsync(Backend backend, string key, LocalEntry local, bool restored, CancellationToken cancellationToken)
    {
        var entry = local.Entry;
        var written = restored ? entry.AsRestored(_timeProvider.GetUtcNow().UtcTicks) : entry;
        var bytes = _protector.Value.Protect(written.ToBytes());
        var options = entry.IsRemoved
            ? new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = RemovalMarkerLifetime }
            : new DistributedCacheEntryOptions();
        var (succeeded, _) = await backend.Guard.TryAsync(
            "write",
            async token =>
            {
                await backend.Store!.SetAsync(key, bytes, options, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        if (succeeded)
        {
            _writeFailuresLogged.TryRemove(key, out _);

            // Only the version written stops being pending: a newer one written meanwhile still is.
            if (_memory.TryGetValue(key, out var current) && current.Pending && current.Entry.Version == entry.Version)
            {
                _memory.TryUpdate(key, current with { Pending = false }, current);
            }

            return true;
        }

        Interlocked.Increment(ref _failedWrites);
        if (_writeFailuresLogged.TryAdd(key, 0))
        {
            LogWriteFailed(key, backend.Description, backend.Options.WriteRetryInterval);
        }

        if (_memory.TryGetValue(key, out var now) && now.Entry.Version == entry.Version && !now.Pending)
        {
            _memory.TryUpdate(key, now with { Pending = true }, now);
        }

        EnsureRetryTimer();
        return false;
    }

    private void EnsureRetryTimer()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        lock (_timerGate)
        {
            if (_retryTimer is null && !_shutdown.IsCancellationRequested)
            {
                var interval = _backend.Value.Options.WriteRetryInterval;
                _retryTimer = _timeProvider.CreateTimer(static state => ((TokenCacheEntryStore)state!).OnRetryDue(), this, interval, interval);
            }
        }
    }

    // Runs on the timer's thread: hands the work to the thread pool, one flush at a time. Never throws.
    private void OnRetryDue()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await FlushPendingAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Shutdown, or a logger that threw: the next tick tries again.
            }
            finally
            {
                Volatile.Write(ref _flushing, 0);
            }
        });
    }

    private async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        var backend = _backend.Value;
        var keys = _memory.Where(pair => pair.Value.Pending).Select(pair => pair.Key).ToArray();
        if (keys.Length == 0 || backend.Store is null)
        {
            lock (_timerGate)
            {
                if (_memory.Values.All(entry => !entry.Pending))
                {
                    _retryTimer?.Dispose();
                    _retryTimer = null;
                }
            }

            return;
        }

        foreach (var key in keys)
        {
            var lease = await EnterAsync(key, cancellationToken).ConfigureAwait(false);
            await using (lease.ConfigureAwait(false))
            {
                if (lease.Kind is CacheLeaseKind.Unavailable)
                {
                    return;
                }

                if (!await FlushAsync(backend, key, cancellationToken).ConfigureAwait(false))
                {
                    // The store still fails (or its breaker is open): the next tick tries again, without calling it once per entry.
                    return;
                }
            }
        }
    }

    // Under the entry's lock: the store's entry wins if it is as new or newer than this process's, else this one is written.
    private async Task<bool> FlushAsync(Backend backend, string key, CancellationToken cancellationToken)
    {
        if (!_memory.TryGetValue(key, out var local) || !local.Pending)
        {
            return true;
        }

        var (succeeded, stored) = await backend.Guard.TryAsync("read", token => backend.Store!.GetAsync(key, token), cancellationToken).ConfigureAwait(false);
        if (!succeeded)
        {
            return false;
        }

        var shared = stored is null ? null : Unprotect(key, stored);
        if (shared is not null && shared.Version >= local.Entry.Version)
        {
            _memory.TryUpdate(key, new LocalEntry(shared, Pending: false), local);
            LogPendingSuperseded(key);
            return true;
        }

        if (shared is null && !local.Entry.IsRemoved)
        {
            LogWrittenBack(key);
        }

        if (!await WriteToStoreAsync(backend, key, local, restored: true, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        LogWrittenAgain(key, backend.Description);
        return true;
    }

    private static TokenCacheEntry? Visible(LocalEntry? local) => local is null || local.Entry.IsRemoved ? null : local.Entry;

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

    private Backend CreateBackend()
    {
        var options = TokenCacheConfiguration.Read(_options);
        var metrics = _services.GetService<TokenMetrics>();
        switch (options.Storage)
        {
            case TokenCacheStorage.Memory:
                return new Backend(null, null, Guard("memory", Timeout.InfiniteTimeSpan), options, "memory");
            case TokenCacheStorage.Distributed:
                var distributed = TokenCacheConfiguration.DistributedCache(_services) ?? throw new ModernAuthException(
                    ModernAuthErrorCategory.InvalidConfiguration,
                    "The token cache is set to Distributed, but no IDistributedCache is registered.",
                    "Register one before the SDK is used, e.g. builder.UseRedisTokenCache(...) from XCally.ModernAuth.StackExchangeRedis or services.AddStackExchangeRedisCache(...), or use the file token cache.");
                var name = distributed.GetType().Name;
                var guard = Guard(name, options.DistributedCacheTimeout);
                lock (_timerGate)
                {
                    _lossDetector = _shutdown.IsCancellationRequested ? null : new StoreLossDetector(distributed, guard, _timeProvider, CheckAllAgainstStore, _shutdown.Token);
                }

                return new Backend(distributed, _services.GetService<ITokenRefreshLock>(), guard, options, name);
            default:
                var files = new FileDistributedCache(TokenCacheConfiguration.Directory(options), _logger);
                files.Secure();
                return new Backend(files, null, Guard($"folder {files.Directory}", Timeout.InfiniteTimeSpan), options, $"folder {files.Directory}");
        }

        SharedCacheGuard Guard(string store, TimeSpan timeout) => new(
            new TokenCacheOptions { DistributedCacheTimeout = timeout, DistributedCacheBreakDuration = options.DistributedCacheBreakDuration },
            store,
            _timeProvider,
            _logger,
            metrics,
            CheckAllAgainstStore);
    }

    /// <summary>One entry as this process holds it, and whether the store still lacks that version.</summary>
    private sealed record LocalEntry(TokenCacheEntry Entry, bool Pending);

    private sealed record Backend(IDistributedCache? Store, ITokenRefreshLock? Lock, SharedCacheGuard Guard, TokenCacheOptions Options, string Description);
}

/// <summary>How a read under a lease went.</summary>
internal enum SharedReadStatus
{
    /// <summary>The store answered; the entry is its newest.</summary>
    Current,

    /// <summary>The store could not be reached; the entry is this process's copy.</summary>
    Unavailable,

    /// <summary>The store lost the entry lately and this process wrote its copy back: another instance may hold a newer one.</summary>
    Recovered,
}

/// <summary>An entry read under its lease, and how the store answered.</summary>
internal readonly record struct SharedRead(TokenCacheEntry? Entry, SharedReadStatus Status);
