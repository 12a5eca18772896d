using System.Collections.Concurrent;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// How many requests reached the identity platform's endpoints, counted on arrival (before faults and validation), so tests can
/// prove that callers were coalesced or served from cache. Thread-safe.
/// </summary>
public sealed class EmulatorRequestCounters
{
    private readonly ConcurrentDictionary<string, int> _byGrantType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _byClient = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _bySecret = new(StringComparer.Ordinal);
    private int _tokenRequests;
    private int _deviceCodeRequests;
    private int _authorizeRequests;
    private int _refreshTokenReuses;

    /// <summary>
    /// Raised for every request to the token endpoint as it arrives (before faults and validation), on the request's thread, with
    /// its time on the emulator's clock: for counting requests per minute of simulated time. Keep handlers short and do not throw.
    /// </summary>
    public event EventHandler<EmulatorTokenRequestEventArgs>? TokenRequestReceived;

    /// <summary>All requests to the token endpoint.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Requests to the device authorization endpoint.</summary>
    public int DeviceCodeRequests => Volatile.Read(ref _deviceCodeRequests);

    /// <summary>Requests to the authorization endpoint.</summary>
    public int AuthorizeRequests => Volatile.Read(ref _authorizeRequests);

    /// <summary>
    /// Redemptions of a refresh token that had already been redeemed (accepted as Entra does, or refused under
    /// <see cref="EmulatorIdentityServerOptions.StrictRefreshTokenRotation"/>): zero when callers sharing a sign-in coordinate.
    /// </summary>
    public int RefreshTokenReuses => Volatile.Read(ref _refreshTokenReuses);

    /// <summary>Token requests with a grant type, e.g. <c>client_credentials</c>, <c>refresh_token</c>.</summary>
    /// <param name="grantType">The <c>grant_type</c> value.</param>
    /// <returns>The count.</returns>
    public int TokenRequestsForGrantType(string grantType) => _byGrantType.GetValueOrDefault(grantType);

    /// <summary>Token requests from a client id.</summary>
    /// <param name="clientId">The client id.</param>
    /// <returns>The count.</returns>
    public int TokenRequestsForClient(string clientId) => _byClient.GetValueOrDefault(clientId);

    /// <summary>
    /// Token requests whose client authenticated with a secret: counted once the secret is accepted (unlike the other counts), so
    /// a test can tell which of an application's secrets a client is using, e.g. after rotating it.
    /// </summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The count.</returns>
    public int TokenRequestsWithSecret(EmulatorClientSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _bySecret.GetValueOrDefault(secret.SecretId);
    }

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        _byGrantType.Clear();
        _byClient.Clear();
        _bySecret.Clear();
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _deviceCodeRequests, 0);
        Interlocked.Exchange(ref _authorizeRequests, 0);
        Interlocked.Exchange(ref _refreshTokenReuses, 0);
    }

    internal void CountTokenRequest(string? grantType, string? clientId, DateTimeOffset receivedAt)
    {
        Interlocked.Increment(ref _tokenRequests);
        _byGrantType.AddOrUpdate(grantType ?? string.Empty, 1, (_, n) => n + 1);
        _byClient.AddOrUpdate(clientId ?? string.Empty, 1, (_, n) => n + 1);
        TokenRequestReceived?.Invoke(this, new EmulatorTokenRequestEventArgs(receivedAt, grantType, clientId));
    }

    internal void CountSecretAccepted(EmulatorClientSecret secret) => _bySecret.AddOrUpdate(secret.SecretId, 1, (_, n) => n + 1);

    internal void CountDeviceCodeRequest() => Interlocked.Increment(ref _deviceCodeRequests);

    internal void CountRefreshTokenReuse() => Interlocked.Increment(ref _refreshTokenReuses);

    internal void CountAuthorizeRequest() => Interlocked.Increment(ref _authorizeRequests);
}
