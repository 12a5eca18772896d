using System.Collections.Concurrent;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The last success and the last failure of every token acquisition the token provider made (per provider, resource and, for
/// delegated tokens, account), in memory, for the health checks and the diagnosis: a refresh that failed while the current
/// token is still served is known here before the mail stops. Holds no token.
/// </summary>
internal sealed class TokenOutcomes
{
    private readonly ConcurrentDictionary<Key, Record> _records = new();

    /// <summary>The outcomes of one slot, or <see langword="null"/> when it never asked the identity platform.</summary>
    /// <param name="providerName">The provider's name.</param>
    /// <param name="accountAddress">The account, for a delegated provider; <see langword="null"/> for an app-only one.</param>
    /// <param name="resource">The resource.</param>
    public TokenOutcomeRecord? Find(string providerName, string? accountAddress, TokenResource resource) =>
        _records.TryGetValue(new Key(providerName, accountAddress ?? string.Empty, resource), out var record) ? record.Snapshot() : null;

    public void Succeeded(string providerName, string? accountAddress, TokenResource resource, AccessToken token, DateTimeOffset at) =>
        Get(providerName, accountAddress, resource).Succeeded(new TokenSuccess(at, token.ExpiresOn, token.Source));

    public void Failed(string providerName, string? accountAddress, TokenResource resource, ModernAuthException error, DateTimeOffset at) =>
        Get(providerName, accountAddress, resource).Failed(new TokenFailure(at, error.Category, error.ErrorCode, error.Summary, error.Advice));

    private Record Get(string providerName, string? accountAddress, TokenResource resource) =>
        _records.GetOrAdd(new Key(providerName, accountAddress ?? string.Empty, resource), static _ => new Record());

    private readonly record struct Key(string Provider, string Account, TokenResource Resource)
    {
        public bool Equals(Key other) =>
            string.Equals(Provider, other.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Account, other.Account, StringComparison.OrdinalIgnoreCase)
            && Resource == other.Resource;

        public override int GetHashCode() => HashCode.Combine(
            StringComparer.OrdinalIgnoreCase.GetHashCode(Provider), StringComparer.OrdinalIgnoreCase.GetHashCode(Account), Resource);
    }

    private sealed class Record
    {
        private readonly object _gate = new();
        private TokenSuccess? _success;
        private TokenFailure? _failure;

        public void Succeeded(TokenSuccess success)
        {
            lock (_gate)
            {
                _success = success;
            }
        }

        public void Failed(TokenFailure failure)
        {
            lock (_gate)
            {
                _failure = failure;
            }
        }

        public TokenOutcomeRecord Snapshot()
        {
            lock (_gate)
            {
                return new TokenOutcomeRecord(_success, _failure);
            }
        }
    }
}

/// <summary>The last token obtained: when, until when, from where.</summary>
internal sealed record TokenSuccess(DateTimeOffset At, DateTimeOffset ExpiresOn, TokenSource Source);

/// <summary>The last failure to obtain a token, in the identity platform's words (never a secret or token).</summary>
internal sealed record TokenFailure(DateTimeOffset At, ModernAuthErrorCategory Category, string? ErrorCode, string Summary, string? Advice);

/// <summary>The last success and failure of one token slot.</summary>
internal sealed record TokenOutcomeRecord(TokenSuccess? LastSuccess, TokenFailure? LastFailure)
{
    /// <summary>The failure, when it came after the last success: the identity platform refuses now.</summary>
    public TokenFailure? CurrentFailure => LastFailure is { } failure && (LastSuccess is null || failure.At >= LastSuccess.At) ? failure : null;
}
