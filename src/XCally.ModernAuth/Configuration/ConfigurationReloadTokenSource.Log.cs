using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

internal sealed partial class ConfigurationReloadTokenSource
{
    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Error, "The reloaded configuration '{Path}' is not valid, so the last valid cloud providers and email accounts stay in use: {Problems}")]
        public static partial void ReloadRefused(ILogger logger, string path, string problems);

        [LoggerMessage(102, LogLevel.Error, "Applying the reloaded configuration '{Path}' failed, so the last valid cloud providers and email accounts stay in use")]
        public static partial void ReloadFailed(ILogger logger, string path, Exception exception);
    }
}
