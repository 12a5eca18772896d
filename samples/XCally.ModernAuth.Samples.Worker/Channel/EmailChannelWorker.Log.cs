using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Samples.Worker;

public sealed partial class EmailChannelWorker
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Email channel starting for {Count} account(s): {Accounts}")]
    private static partial void LogStarting(ILogger logger, int count, string accounts);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Email channel has no account to serve: add EmailAccounts to the XCallyModernAuth section")]
    private static partial void LogNoAccounts(ILogger logger);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Email channel stopped")]
    private static partial void LogStopped(ILogger logger);
}
