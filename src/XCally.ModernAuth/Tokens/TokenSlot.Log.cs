using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

// Log lines name the provider and a token's fingerprint, never the token.
internal sealed partial class TokenSlot
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}': token {Fingerprint} obtained (from {Source}), expires {ExpiresOn:O}; refreshing in the background in {RefreshIn}.")]
    private partial void LogTokenAcquired(string provider, string fingerprint, TokenSource source, DateTimeOffset expiresOn, TimeSpan refreshIn);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Cloud provider '{Provider}': the token obtained lives only {Lifetime}, too short to cache; every call will request a new one.")]
    private partial void LogTokenTooShortLived(string provider, TimeSpan lifetime);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': refreshing the token in the background.")]
    private partial void LogRefreshStarting(string provider);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Cloud provider '{Provider}': background token refresh failed ({Category}, {ErrorCode}); still serving the current token, retrying in {RetryIn}.")]
    private partial void LogRefreshFailed(Exception exception, string provider, ModernAuthErrorCategory category, string? errorCode, TimeSpan retryIn);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Cloud provider '{Provider}': no token could be obtained ({Category}, {ErrorCode}).")]
    private partial void LogAcquisitionFailed(Exception exception, string provider, ModernAuthErrorCategory category, string? errorCode);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': the identity platform asked to wait; no request is sent for another {Remaining}.")]
    private partial void LogThrottledRequestHeld(string provider, TimeSpan remaining);
}
