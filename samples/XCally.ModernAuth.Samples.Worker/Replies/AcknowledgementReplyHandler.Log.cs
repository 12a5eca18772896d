using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

public sealed partial class AcknowledgementReplyHandler
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Account}: acknowledged \"{Subject}\" to {Recipient}")]
    private static partial void LogAcknowledged(ILogger logger, string account, string recipient, string? subject);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "{Account}: no acknowledgement for {MessageId}: automatic or bulk mail, or no sender")]
    private static partial void LogNotAnswered(ILogger logger, string account, string? messageId);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "{Account}: the server refused the recipient {Recipient} of the acknowledgement: {Reason}")]
    private static partial void LogRecipientRefused(ILogger logger, string account, string? recipient, string reason);
}
