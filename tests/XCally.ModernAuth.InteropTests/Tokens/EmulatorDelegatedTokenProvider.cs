using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>
/// A test double for <see cref="ITokenProvider"/> that asks the identity emulator to issue a delegated access token for the
/// account's user directly (<c>upn</c> = the mailbox's login name, <c>azp</c> = the application, signed with the emulator's key),
/// bypassing the SDK's sign-in and MSAL. It exists only for the refusal tests that need a token the SDK's own provider never hands
/// out: signed by a key Dovecot does not trust, or naming another user (<see cref="IssueNextWith"/>). Every other interop test
/// signs in and gets its tokens from the SDK's own provider (<see cref="MailStackFixture.StartSignedInHostAsync(string[])"/>).
/// </summary>
/// <remarks>
/// Like any provider it caches a token per account and hands it out until the connector invalidates it; it does not check the
/// token's expiry itself, so that a token the server refuses (expired, foreign key) is what drives the connector's recovery.
/// <see cref="IssueNextWith"/> makes the next issued tokens deliberately bad. Thread-safe.
/// </remarks>
/// <param name="emulator">The emulator whose identity platform issues the tokens and whose directory holds the users.</param>
public sealed class EmulatorDelegatedTokenProvider(ModernAuthEmulator emulator) : ITokenProvider
{
    /// <summary>The audience of Exchange Online delegated tokens.</summary>
    public const string Resource = "https://outlook.office.com";

    private readonly ConcurrentDictionary<string, AccessToken> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<EmulatorTokenOverrides> _nextOverrides = new();
    private readonly ConcurrentQueue<string> _invalidated = new();
    private readonly Lock _gate = new();
    private int _issued;

    /// <summary>How many tokens the emulator issued through this provider.</summary>
    public int IssuedCount => Volatile.Read(ref _issued);

    /// <summary>The accounts (addresses) whose token was invalidated, in order.</summary>
    public IReadOnlyCollection<string> Invalidated => [.. _invalidated];

    /// <summary>Makes the next token issued (for any account) depart from a normal one, e.g. expired or signed by a foreign key.</summary>
    /// <param name="overrides">The departures; call again to queue more.</param>
    public void IssueNextWith(EmulatorTokenOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        _nextOverrides.Enqueue(overrides);
    }

    /// <inheritdoc />
    public ValueTask<AccessToken> GetAccessTokenAsync(EmailAccount account, MailProtocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_cache.TryGetValue(account.Address, out var cached))
            {
                return ValueTask.FromResult(cached.WithSource(TokenSource.Cache));
            }

            var user = emulator.Directory.FindUser(account.UserName)
                ?? throw new InvalidOperationException($"The emulator's directory has no user {account.UserName}; register it before asking for its token.");
            _nextOverrides.TryDequeue(out var overrides);
            var jwt = emulator.Identity.IssueDelegatedAccessToken(emulator.Application, user, scopes: null, Resource, overrides);
            Interlocked.Increment(ref _issued);
            var token = new AccessToken(
                jwt,
                new JsonWebToken(jwt).ValidTo,
                [.. emulator.Application.DelegatedScopes.Order(StringComparer.Ordinal).Select(scope => $"{Resource}/{scope}")],
                TokenSource.IdentityProvider);
            _cache[account.Address] = token;
            return ValueTask.FromResult(token);
        }
    }

    /// <inheritdoc />
    public ValueTask InvalidateAsync(EmailAccount account, MailProtocol protocol, AccessToken refused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(refused);
        lock (_gate)
        {
            if (_cache.TryGetValue(account.Address, out var cached) && string.Equals(cached.Token, refused.Token, StringComparison.Ordinal))
            {
                _cache.TryRemove(account.Address, out _);
            }

            _invalidated.Enqueue(account.Address);
        }

        return ValueTask.CompletedTask;
    }
}
