using System.Collections.Concurrent;

namespace XCally.ModernAuth.Testing;

/// <summary>Requests that reached the emulated org, counted on arrival, so tests can prove sessions are shared and renewed once. Thread-safe.</summary>
public sealed class SalesforceEmulatorCounters
{
    private readonly ConcurrentDictionary<string, int> _byGrantType = new(StringComparer.Ordinal);
    private int _tokenRequests;
    private int _restRequests;
    private int _refusedSessions;

    /// <summary>All requests to the token endpoint.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>All REST requests.</summary>
    public int RestRequests => Volatile.Read(ref _restRequests);

    /// <summary>REST requests refused with <c>INVALID_SESSION_ID</c>.</summary>
    public int RefusedSessions => Volatile.Read(ref _refusedSessions);

    /// <summary>Token requests with a grant type, e.g. <c>client_credentials</c>.</summary>
    /// <param name="grantType">The <c>grant_type</c>.</param>
    /// <returns>The count.</returns>
    public int TokenRequestsForGrantType(string grantType) => _byGrantType.GetValueOrDefault(grantType);

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        _byGrantType.Clear();
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _restRequests, 0);
        Interlocked.Exchange(ref _refusedSessions, 0);
    }

    internal void CountTokenRequest(string? grantType)
    {
        Interlocked.Increment(ref _tokenRequests);
        _byGrantType.AddOrUpdate(grantType ?? string.Empty, 1, (_, n) => n + 1);
    }

    internal void CountRestRequest() => Interlocked.Increment(ref _restRequests);

    internal void CountRefusedSession() => Interlocked.Increment(ref _refusedSessions);
}
