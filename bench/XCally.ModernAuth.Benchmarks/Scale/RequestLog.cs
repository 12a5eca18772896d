using System.Collections.Concurrent;
using XCally.ModernAuth.Testing;

namespace XCally.ModernAuth.Benchmarks.Scale;

/// <summary>Every request that reached the emulator's token endpoint, with its time on the shared fake clock.</summary>
internal sealed class RequestLog : IDisposable
{
    private readonly EmulatorRequestCounters _counters;
    private readonly ConcurrentQueue<(DateTimeOffset At, string GrantType)> _requests = new();

    public RequestLog(EmulatorRequestCounters counters)
    {
        _counters = counters;
        _counters.TokenRequestReceived += OnRequest;
    }

    public int Count => _requests.Count;

    public int CountOf(string grantType) => _requests.Count(request => request.GrantType == grantType);

    /// <summary>Requests of a grant type per minute from <paramref name="start"/>, over <paramref name="minutes"/> minutes.</summary>
    public int[] PerMinute(string grantType, DateTimeOffset start, int minutes)
    {
        var buckets = new int[minutes];
        foreach (var (at, kind) in _requests)
        {
            var minute = (int)Math.Floor((at - start).TotalMinutes);
            if (kind == grantType && minute >= 0 && minute < minutes)
            {
                buckets[minute]++;
            }
        }

        return buckets;
    }

    public void Dispose() => _counters.TokenRequestReceived -= OnRequest;

    private void OnRequest(object? sender, EmulatorTokenRequestEventArgs request) =>
        _requests.Enqueue((request.ReceivedAt, request.GrantType ?? string.Empty));
}
