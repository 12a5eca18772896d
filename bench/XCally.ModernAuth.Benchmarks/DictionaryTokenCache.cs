using System.Collections.Concurrent;
using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Benchmarks;

/// <summary>
/// The cache a careful user writes in front of MSAL without a library: a concurrent dictionary of tokens with their expiry,
/// a <see cref="ValueTask{TResult}"/> that completes at once on a hit. No single flight (a cold burst sends a request per
/// caller), no refresh ahead (the caller at expiry waits), no back-off: the limit of what a warm hit can cost.
/// </summary>
internal sealed class DictionaryTokenCache(IConfidentialClientApplication msal, string[] scopes)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<string> GetAsync(string key) =>
        _entries.TryGetValue(key, out var entry) && TimeProvider.System.GetUtcNow() < entry.UsableUntil
            ? new ValueTask<string>(entry.Token)
            : AcquireAsync(key);

    private async ValueTask<string> AcquireAsync(string key)
    {
        var result = await msal.AcquireTokenForClient(scopes).ExecuteAsync().ConfigureAwait(false);
        _entries[key] = new Entry(result.AccessToken, result.ExpiresOn - Margin);
        return result.AccessToken;
    }

    private sealed record Entry(string Token, DateTimeOffset UsableUntil);
}
