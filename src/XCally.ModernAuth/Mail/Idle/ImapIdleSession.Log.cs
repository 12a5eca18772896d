using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth;

public sealed partial class ImapIdleSession
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Debug, Message = "IMAP IDLE session of {Account}: {State}")]
    private static partial void LogState(ILogger logger, string account, ImapIdleSessionState state);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "IMAP IDLE session of {Account} lost its connection; reconnect attempt {Attempt} in {Delay}")]
    private static partial void LogReconnecting(ILogger logger, Exception exception, string account, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Error, Message = "IMAP IDLE session of {Account} stopped by an error that reconnecting cannot fix")]
    private static partial void LogFaulted(ILogger logger, Exception exception, string account);
}
