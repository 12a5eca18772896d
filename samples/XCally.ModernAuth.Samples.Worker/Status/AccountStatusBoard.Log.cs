using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

public sealed partial class AccountStatusBoard
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Account}: connecting with a fresh token (IMAP, or the first Graph delta read)")]
    private static partial void LogConnecting(ILogger logger, string account);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Account}: connected, catching up on new mail")]
    private static partial void LogConnected(ILogger logger, string account);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Account}: idle, waiting for mail (IMAP IDLE, or the next Graph delta poll)")]
    private static partial void LogIdle(ILogger logger, string account);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Account}: reconnecting in {Delay} after {Category}: {Reason} Advice: {Advice}")]
    private static partial void LogReconnecting(ILogger logger, string account, TimeSpan delay, string? category, string? reason, string advice);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Account}: failed with {Category}: {Reason} Advice: {Advice}. The other accounts keep running; this one restarts in {Delay}")]
    private static partial void LogFailed(ILogger logger, string account, TimeSpan delay, string? category, string? reason, string advice);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Account}: stopped")]
    private static partial void LogStopped(ILogger logger, string account);
}
