using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

public sealed partial class InboxProcessor
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "{Account}: handled UID {Uid} (Message-Id {MessageId})")]
    private static partial void LogHandled(ILogger logger, string account, uint uid, string? messageId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Account}: INBOX UIDVALIDITY changed from {Previous} to {Current}; handling the unread messages")]
    private static partial void LogUidValidityChanged(ILogger logger, string account, uint previous, uint current);
}
