using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// What the token provider keeps for one <see cref="CloudProvider"/> (one set of settings): a token slot per resource for an
/// app-only provider (shared by every account), or per delegated sign-in and resource for a delegated one (their MSAL
/// clients lent by the provider's pool, <see cref="DelegatedProviderClients"/>): an account's own user, or the agent whose sign-in serves several shared mailboxes (<see cref="DelegatedUser"/>).
/// Slots are made on first use and dropped when their account is removed, changes, or goes idle. Replaced whole when the
/// provider's settings change.
/// </summary>
internal sealed class ProviderTokens
{
    private const int ResourceCount = 2;

    private readonly Func<EmailAccount, TokenResource, TokenSlot> _createSlot;
    private readonly TokenSlot?[]? _appOnly;
    private readonly ConcurrentDictionary<string, AccountSlots>? _delegated;
    private readonly object _gate = new();
    private volatile int _generation;
    private volatile bool _closed;

    /// <param name="provider">The provider.</param>
    /// <param name="generation">The store generation the provider was read in.</param>
    /// <param name="createSlot">Makes a slot: for a delegated provider per sign-in and resource, for an app-only one per resource.</param>
    /// <param name="hits">The provider's cache hit counter (<see cref="TokenMetrics.HitsFor"/>).</param>
    /// <param name="backoff">The back-off the provider's slots share while its identity platform fails.</param>
    public ProviderTokens(CloudProvider provider, int generation, Func<EmailAccount, TokenResource, TokenSlot> createSlot, HitCounter hits, ProviderBackoff backoff)
    {
        Provider = provider;
        Hits = hits;
        Backoff = backoff;
        _generation = generation;
        _createSlot = createSlot;
        if (provider.Flow == AuthFlow.Delegated)
        {
            _delegated = new ConcurrentDictionary<string, AccountSlots>(StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            _appOnly = new TokenSlot?[ResourceCount];
        }
    }

    public CloudProvider Provider { get; }

    /// <summary>The provider's cache hits (<see cref="TokenMetrics.HitsFor"/>).</summary>
    public HitCounter Hits { get; }

    /// <summary>The back-off the provider's slots share while its identity platform fails (one probe instead of every slot's retries).</summary>
    public ProviderBackoff Backoff { get; }

    /// <summary>The newest store generation in which the provider was found unchanged; the fast path trusts only the current one.</summary>
    public int Generation => _generation;

    public bool IsClosed => _closed;

    /// <summary>Whether no slot is left (all idle or removed).</summary>
    public bool IsEmpty
    {
        get
        {
            if (_delegated is not null)
            {
                return _delegated.IsEmpty;
            }

            lock (_gate)
            {
                return Array.TrueForAll(_appOnly!, slot => slot is null);
            }
        }
    }

    /// <summary>How many slots are held (for tests of the memory bound).</summary>
    public int CountSlots()
    {
        lock (_gate)
        {
            return _appOnly is not null
                ? _appOnly.Count(slot => slot is not null)
                : _delegated!.Values.Sum(account => account.Slots.Count(slot => slot is not null));
        }
    }

    /// <summary>The delegated accounts that have slots.</summary>
    public IEnumerable<EmailAccount> Accounts => _delegated?.Values.Select(slots => slots.Account) ?? [];

    public void MarkCurrent(int generation)
    {
        lock (_gate)
        {
            if (generation > _generation)
            {
                _generation = generation;
            }
        }
    }

    /// <summary>The slot of an account and resource if one was made, without making one. Lock-free.</summary>
    public bool TryGetSlot(EmailAccount account, TokenResource resource, [NotNullWhen(true)] out TokenSlot? slot)
    {
        if (_appOnly is not null)
        {
            slot = _appOnly[(int)resource];
            return slot is not null;
        }

        if (_delegated!.TryGetValue(DelegatedUser.SignInName(account), out var slots)
            && DelegatedUser.SameSignIn(slots.Account, account))
        {
            slot = slots.Slots[(int)resource];
            return slot is not null;
        }

        slot = null;
        return false;
    }

    /// <summary>The slot of an account and resource, made on first use; an account whose settings changed gets new slots.</summary>
    /// <exception cref="TokenSlotClosedException">The provider's tokens were closed meanwhile.</exception>
    public TokenSlot GetOrCreateSlot(EmailAccount account, TokenResource resource)
    {
        if (TryGetSlot(account, resource, out var existing) && !existing.IsClosed)
        {
            return existing;
        }

        TokenSlot[] replaced = [];
        TokenSlot slot;
        lock (_gate)
        {
            if (_closed)
            {
                throw new TokenSlotClosedException();
            }

            if (_appOnly is not null)
            {
                slot = _appOnly[(int)resource] is { IsClosed: false } current ? current : _appOnly[(int)resource] = _createSlot(account, resource);
            }
            else
            {
                var signIn = DelegatedUser.SignInName(account);
                if (!_delegated!.TryGetValue(signIn, out var slots) || !DelegatedUser.SameSignIn(slots.Account, account))
                {
                    replaced = slots?.Slots.OfType<TokenSlot>().ToArray() ?? [];
                    slots = new AccountSlots(account);
                    _delegated[signIn] = slots;
                }

                slot = slots.Slots[(int)resource] is { IsClosed: false } current
                    ? current
                    : slots.Slots[(int)resource] = _createSlot(account, resource);
            }
        }

        foreach (var old in replaced)
        {
            old.Close();
        }

        return slot;
    }

    /// <summary>The slot of an account and resource if one was made (for invalidation).</summary>
    public TokenSlot? FindSlot(EmailAccount account, TokenResource resource)
    {
        if (_appOnly is not null)
        {
            return _appOnly[(int)resource];
        }

        return _delegated!.TryGetValue(DelegatedUser.SignInName(account), out var slots) ? slots.Slots[(int)resource] : null;
    }

    /// <summary>Drops a delegated sign-in's slots (an account removed, moved, signed in again or revoked): the next call starts afresh.</summary>
    /// <param name="signInName">The sign-in's name (<see cref="DelegatedUser.SignInName"/>).</param>
    /// <returns>Whether the sign-in had slots.</returns>
    public bool RemoveAccount(string signInName)
    {
        if (_delegated is null || !_delegated.TryRemove(signInName, out var slots))
        {
            return false;
        }

        foreach (var slot in slots.Slots)
        {
            slot?.Close();
        }

        return true;
    }

    /// <summary>Drops one slot that went idle, if it is still the one serving that sign-in and resource.</summary>
    public void Remove(string signInName, TokenResource resource, TokenSlot slot)
    {
        lock (_gate)
        {
            if (_appOnly is not null)
            {
                if (ReferenceEquals(_appOnly[(int)resource], slot))
                {
                    _appOnly[(int)resource] = null;
                }
            }
            else if (_delegated!.TryGetValue(signInName, out var slots) && ReferenceEquals(slots.Slots[(int)resource], slot))
            {
                slots.Slots[(int)resource] = null;
                if (Array.TrueForAll(slots.Slots, other => other is null))
                {
                    _delegated.TryRemove(new KeyValuePair<string, AccountSlots>(signInName, slots));
                }
            }
        }

        slot.Close();
    }

    /// <summary>Closes every slot: refreshes stop; requests in flight still complete for their callers.</summary>
    public void Close()
    {
        TokenSlot[] slots;
        lock (_gate)
        {
            _closed = true;
            slots = _appOnly is not null
                ? _appOnly.OfType<TokenSlot>().ToArray()
                : _delegated!.Values.SelectMany(account => account.Slots.OfType<TokenSlot>()).ToArray();
            if (_appOnly is not null)
            {
                Array.Clear(_appOnly);
            }
            else
            {
                _delegated!.Clear();
            }
        }

        foreach (var slot in slots)
        {
            slot.Close();
        }
    }

    // One sign-in's slots, one per resource; its account object is the first they were made for.
    private sealed class AccountSlots(EmailAccount account)
    {
        public EmailAccount Account { get; } = account;

        public TokenSlot?[] Slots { get; } = new TokenSlot?[ResourceCount];
    }
}
