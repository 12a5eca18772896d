using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth;

/// <summary>
/// A ready-made change signal for a host's own <see cref="ICloudProviderStore"/> or <see cref="IEmailAccountStore"/>: return
/// <see cref="GetChangeToken"/> from the store's <c>GetChangeToken()</c>, and call <see cref="NotifyChanged"/> after an
/// administrator added, edited or deleted a provider or account. Thread-safe.
/// </summary>
/// <remarks>
/// One notifier may serve both stores. On a signal the SDK looks up each provider again on its next use, replaces what changed
/// (a rotated secret: one new MSAL client and one new token) and stops the refreshes of providers and accounts that are gone.
/// </remarks>
public sealed class StoreChangeNotifier
{
    private CancellationTokenSource _current = new();

    /// <summary>A token that fires on the next <see cref="NotifyChanged"/>.</summary>
    /// <returns>The change token; a new one after each notification.</returns>
    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _current).Token);

    /// <summary>Signals that providers or accounts may have changed.</summary>
    public void NotifyChanged()
    {
        var previous = Interlocked.Exchange(ref _current, new CancellationTokenSource());

        // Callbacks registered on the previous token run here, on the caller's thread; the SDK's only queue work.
        previous.Cancel();
        previous.Dispose();
    }
}
