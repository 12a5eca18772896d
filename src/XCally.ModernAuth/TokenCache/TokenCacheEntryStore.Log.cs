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
    private partial void LogStoreReadFailedCore(Exception exception, string key, string fallback);

    private void LogStoreReadFailed(Exception exception, string key, bool hasMemoryCopy) =>
        LogStoreReadFailedCore(exception, key, hasMemoryCopy ? "serving this process's last copy" : "this process has no copy, so it is treated as missing");
}
