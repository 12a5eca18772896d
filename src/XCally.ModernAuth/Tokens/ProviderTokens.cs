using System.Collections.Concurrent;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// What the token provider keeps for one <see cref="CloudProvider"/> instance: the fast path of its app-only token, or one
/// fast path per delegated account (each with its own MSAL clients). Replaced whole when the store returns a new instance
/// after a configuration change.
/// </summary>
internal sealed class ProviderTokens : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenSlot>? _delegated;
    private readonly Func<EmailAccount, TokenSlot>? _createDelegated;
    private bool _retired;

    /// <summary>An app-only provider: one scope set (the provider's) for every account and protocol.</summary>
    public ProviderTokens(CloudProvider provider, TokenSlot appOnly)
    {
        Provider = provider;
        AppOnly = appOnly;
    }

    /// <summary>A delegated provider: a slot per account (one token carries the IMAP, POP and SMTP scopes), made on first use.</summary>
    public ProviderTokens(CloudProvider provider, Func<EmailAccount, TokenSlot> createDelegated)
    {
        Provider = provider;
        _createDelegated = createDelegated;
        _delegated = new ConcurrentDictionary<string, TokenSlot>(StringComparer.OrdinalIgnoreCase);
    }

    public CloudProvider Provider { get; }

    /// <summary>App-only tokens, or <see langword="null"/> for a delegated provider.</summary>
    public TokenSlot? AppOnly { get; }

    /// <summary>The slot serving an account: the app-only one, or the account's own (created on first use).</summary>
    public TokenSlot SlotFor(EmailAccount account)
    {
        if (AppOnly is { } appOnly)
        {
            return appOnly;
        }

        if (_delegated!.TryGetValue(account.Address, out var slot))
        {
            return slot;
        }

        lock (_delegated)
        {
            if (_delegated.TryGetValue(account.Address, out slot))
            {
                return slot;
            }

            slot = _createDelegated!(account);
            if (_retired)
            {
                slot.Retire();
            }

            _delegated[account.Address] = slot;
            return slot;
        }
    }

    /// <summary>The slot of an account if it was made, without making one.</summary>
    public TokenSlot? FindSlot(string accountAddress) =>
        AppOnly ?? (_delegated!.TryGetValue(accountAddress, out var slot) ? slot : null);

    /// <summary>Forgets a delegated account's slot (its sign-in changed or was revoked): the next call starts afresh.</summary>
    public void Reset(string accountAddress)
    {
        if (_delegated is not null && _delegated.TryRemove(accountAddress, out var slot))
        {
            slot.Dispose();
        }
    }

    /// <summary>Stops background refreshes; requests in flight still complete for their callers.</summary>
    public void Retire()
    {
        AppOnly?.Retire();
        if (_delegated is not null)
        {
            lock (_delegated)
            {
                _retired = true;
                foreach (var slot in _delegated.Values)
                {
                    slot.Retire();
                }
            }
        }
    }

    public void Dispose()
    {
        AppOnly?.Dispose();
        if (_delegated is not null)
        {
            foreach (var slot in _delegated.Values)
            {
                slot.Dispose();
            }

            _delegated.Clear();
        }
    }
}
