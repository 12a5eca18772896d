using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Decides, when a mail server refuses a token, whether the token may be the cause and so may be dropped. An app-only token
/// serves every mailbox of its provider: dropping it because one mailbox lacks a permission would send every other mailbox to
/// the identity platform. So a token is invalidated at most once, on its first refusal; a mailbox that refused a token it
/// already refused (or a fresh one) has a problem of its own, reported without another token request. A token within
/// <see cref="NearExpiry"/> of its expiry may be refused for that alone, so the mailbox is given its replacement once more.
/// Thread-safe; nothing of the token is kept but a hash, and entries go when their token expires.
/// </summary>
internal sealed class TokenRefusalPolicy(TimeProvider timeProvider)
{
    /// <summary>How close to its expiry a token may be refused for its age alone.</summary>
    public static readonly TimeSpan NearExpiry = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Refusals> _tokens = new(StringComparer.Ordinal);

    /// <summary>Tokens with a refusal on record (for tests and diagnostics).</summary>
    public int Count => _tokens.Count;

    /// <summary>Records that <paramref name="account"/> refused <paramref name="token"/> and says what to do about it.</summary>
    /// <param name="account">The mailbox whose server refused.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="token">The refused token.</param>
    /// <returns>What the authenticator does next.</returns>
    public TokenRefusalDecision OnRefused(EmailAccount account, MailProtocol protocol, AccessToken token)
    {
        var now = timeProvider.GetUtcNow();
        Prune(now);
        var refusals = _tokens.GetOrAdd(Key(token.Token), static (_, expiresOn) => new Refusals(expiresOn), token.ExpiresOn);
        var mailbox = MailboxKey(account, protocol);
        var nearExpiry = token.ExpiresOn - now <= NearExpiry;
        if (!refusals.RefusedBy.TryAdd(mailbox, 0) && !nearExpiry)
        {
            return TokenRefusalDecision.MailboxProblem;
        }

        return Interlocked.Exchange(ref refusals.Invalidated, 1) == 0
            ? TokenRefusalDecision.Invalidate
            : TokenRefusalDecision.RetryWithCurrent;
    }

    /// <summary>
    /// Records that <paramref name="account"/> refused <paramref name="fresh"/>, the token it was given after a first refusal. The
    /// token is not invalidated (other mailboxes use it); the mailbox's next refusal of it asks for nothing.
    /// </summary>
    /// <param name="account">The mailbox whose server refused.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="fresh">The fresh token it refused too.</param>
    public void OnRefusedAgain(EmailAccount account, MailProtocol protocol, AccessToken fresh)
    {
        var refusals = _tokens.GetOrAdd(Key(fresh.Token), static (_, expiresOn) => new Refusals(expiresOn), fresh.ExpiresOn);
        refusals.RefusedBy.TryAdd(MailboxKey(account, protocol), 0);
    }

    private static string MailboxKey(EmailAccount account, MailProtocol protocol) =>
        $"{protocol}:{account.Address.ToUpperInvariant()}";

    private static string Key(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToHexString(hash);
    }

    // Refusals are rare and tokens live about an hour: a sweep on each refusal keeps the table to the tokens still alive.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, refusals) in _tokens)
        {
            if (refusals.ExpiresOn < now)
            {
                _tokens.TryRemove(key, out _);
            }
        }
    }

    private sealed class Refusals(DateTimeOffset expiresOn)
    {
        public int Invalidated;

        public DateTimeOffset ExpiresOn { get; } = expiresOn;

        public ConcurrentDictionary<string, byte> RefusedBy { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What a refused token calls for.</summary>
internal enum TokenRefusalDecision
{
    /// <summary>The token's first refusal: drop it and retry once with a fresh one.</summary>
    Invalidate,

    /// <summary>Another mailbox already had the token dropped: retry once with the provider's current token, without dropping it again.</summary>
    RetryWithCurrent,

    /// <summary>This mailbox already refused this very token: the token is not the cause, and no token is requested.</summary>
    MailboxProblem,
}

/// <summary>
/// The refusal policy of each token provider, for the extension methods that are handed a provider rather than resolved from
/// the container: tokens are per provider, so is what is known of their refusals.
/// </summary>
internal static class TokenRefusalPolicies
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, TokenRefusalPolicy> Policies = new();
    private static readonly object Unknown = new();

    public static TokenRefusalPolicy For(ITokenProvider? tokenProvider) =>
        Policies.GetValue(tokenProvider ?? Unknown, static _ => new TokenRefusalPolicy(TimeProvider.System));
}
