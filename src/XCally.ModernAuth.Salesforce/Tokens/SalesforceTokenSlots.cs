using Microsoft.Extensions.Logging;
using XCally.ModernAuth.Diagnostics;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// The one place this package makes the core's token machinery: a <see cref="TokenSlot"/> (single flight, lock-free hits,
/// background renewal, back-off, Retry-After) around a Salesforce acquirer. Kept to this file so that a change of those
/// constructors touches nothing else here.
/// </summary>
internal sealed class SalesforceTokenSlots(IHttpClientFactory httpClientFactory, TimeProvider timeProvider, TokenMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ILogger _slotLogger = loggerFactory.CreateLogger("XCally.ModernAuth.Salesforce.Sessions");

    public (TokenSlot Slot, SalesforceTokenAcquirer Acquirer) Create(SalesforceProvider provider)
    {
        var acquirer = new SalesforceTokenAcquirer(provider, httpClientFactory, timeProvider, metrics);
        return (new TokenSlot(acquirer, timeProvider, metrics, _slotLogger), acquirer);
    }
}
