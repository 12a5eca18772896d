using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Bounds every call to the shared token cache and its lock (a distributed cache such as Redis): each call may take at most
/// <see cref="TokenCacheOptions.DistributedCacheTimeout"/> (real time: it is about the network), and a Polly circuit breaker
/// stops calling for <see cref="TokenCacheOptions.DistributedCacheBreakDuration"/> once at least half the calls failed (two or
/// more in 30 seconds), so that an outage costs callers nothing but the first timeout. A failed call is reported, never
/// thrown: the caller carries on with its in-memory copy.
/// </summary>
internal sealed partial class SharedCacheGuard
{
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly string _store;
    private readonly ILogger _logger;
    private readonly TokenMetrics? _metrics;

    // onRecovered runs when the store answers again after the breaker opened: it may have lost its data meanwhile.
    public SharedCacheGuard(TokenCacheOptions options, string store, TimeProvider timeProvider, ILogger logger, TokenMetrics? metrics, Action? onRecovered = null)
    {
        _timeout = options.DistributedCacheTimeout;
        _store = store;
        _logger = logger;
        _metrics = metrics;
        var breakDuration = options.DistributedCacheBreakDuration;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = SamplingDuration,
                BreakDuration = breakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not OperationCanceledException),
                OnOpened = arguments =>
                {
                    LogOpened(arguments.Outcome.Exception, _store, breakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    LogClosed(_store);
                    onRecovered?.Invoke();
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Runs one call to the store, bounded by the cache timeout.</summary>
    /// <returns>Whether it succeeded, and its result.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<(bool Succeeded, T? Value)> TryAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        TryAsync(operation, call, _timeout, cancellationToken);

    /// <summary>Runs one call to the store that may legitimately wait up to <paramref name="timeout"/> (a lock held elsewhere).</summary>
    public async Task<(bool Succeeded, T? Value)> TryAsync<T>(string operation, Func<CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var value = await _pipeline.ExecuteAsync(
                static async (state, token) => await Bounded(state.call(token), state.timeout, token).ConfigureAwait(false),
                (call, timeout),
                cancellationToken).ConfigureAwait(false);
            return (true, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            _metrics?.TokenCacheFailure(operation);
            if (exception is not BrokenCircuitException)
            {
                LogCallFailed(exception, operation, _store);
            }

            return (false, default);
        }
    }

    /// <summary>Releases a shared lock, bounded by the cache timeout but not refused by the breaker. Never throws.</summary>
    public async Task ReleaseAsync(IAsyncDisposable handle)
    {
        try
        {
            await Bounded(ReleaseCoreAsync(handle), _timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _metrics?.TokenCacheFailure("unlock");
            LogCallFailed(exception, "unlock", _store);
        }

        static async Task<bool> ReleaseCoreAsync(IAsyncDisposable handle)
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            return true;
        }
    }

    // Not every store honours cancellation (StackExchange.Redis times out on its own clock): the wait is bounded here, and a
    // call that completes late is observed so that its failure is not left unobserved.
    private static async Task<T> Bounded<T>(Task<T> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = call.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Token cache {Operation} on {Store} failed; this process carries on with its own copy.")]
    private partial void LogCallFailed(Exception exception, string operation, string store);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning,
        Message = "The shared token cache ({Store}) is failing; for {BreakDuration} the SDK does not call it and serves from this process's copies (refreshes that succeed are kept in memory and written once it answers).")]
    private partial void LogOpened(Exception? exception, string store, TimeSpan breakDuration);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "The shared token cache ({Store}) answers again.")]
    private partial void LogClosed(string store);
}
