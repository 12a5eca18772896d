using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

// Keys are hashes: log lines name no mailbox, and never the entry's content.
internal sealed partial class TokenCacheEntryStore
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "Token cache entry {Key} could not be decrypted or read (corrupt, tampered with, or protected with a key this Data Protection key ring does not hold); it is treated as missing and the account must be authorized again.")]
    private partial void LogEntryUnreadable(Exception? exception, string key);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Token cache entry {Key} could not be read from the store; {Fallback}.")]
    private partial void LogStoreReadFailedCore(string key, string fallback);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning,
        Message = "Token cache entry {Key} could not be written to the store ({Store}); this process keeps it in memory and writes it again every {Interval} until the store takes it. The token acquisition itself succeeded.")]
    private partial void LogWriteFailed(string key, string store, TimeSpan interval);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information,
        Message = "Token cache entry {Key} was written to the store ({Store}) again.")]
    private partial void LogWrittenAgain(string key, string store);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Warning,
        Message = "Token cache entry {Key} was missing from the store (restarted empty, evicted or deleted) while this process holds it; it is written back instead of being dropped.")]
    private partial void LogWrittenBack(string key);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Information,
        Message = "Token cache entry {Key} waiting to be written again was superseded by a newer one in the store; that one is used.")]
    private partial void LogPendingSuperseded(string key);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning,
        Message = "The refresh lock of token cache entry {Key} was held by another instance for more than {Timeout}; this instance goes ahead without it.")]
    private partial void LogLockTimedOut(string key, TimeSpan timeout);

    private void LogStoreReadFailed(string key, bool hasMemoryCopy) =>
        LogStoreReadFailedCore(key, hasMemoryCopy ? "serving this process's last copy" : "this process holds no copy");
}
