namespace XCally.ModernAuth.Internal;

/// <summary>
/// Bounds one token acquisition, MSAL's own retries included, by <see cref="TokenProviderOptions.IdentityRequestTimeout"/>, so that a
/// sign-in host that accepts the connection and never answers costs a caller a known wait, reported as a timeout naming the host.
/// </summary>
/// <remarks>The bound is real time (<see cref="TimeProvider.System"/>): it is about the network, not the token's clock.</remarks>
internal static class IdentityCall
{
    public static async Task<T> RunAsync<T>(CloudProvider provider, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            return await call(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw IdentityErrorTranslator.TimedOut(provider, timeout, exception);
        }
    }
}
