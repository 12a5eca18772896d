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
        Message = "Cloud provider '{Provider}': token refresh failed ({Category}, {ErrorCode}); still serving the current token, valid until {ExpiresOn:O}; retrying in {RetryIn}.")]
    private partial void LogRefreshFailed(Exception exception, string provider, ModernAuthErrorCategory category, string? errorCode, DateTimeOffset expiresOn, TimeSpan retryIn);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Cloud provider '{Provider}': no token could be obtained ({Category}, {ErrorCode}); no valid token is left; the next request is sent in {RetryIn}, not before.")]
    private partial void LogAcquisitionFailed(Exception exception, string provider, ModernAuthErrorCategory category, string? errorCode, TimeSpan retryIn);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': the last token request failed and no valid token is left; no request is sent for another {Remaining}.")]
    private partial void LogRequestHeld(string provider, TimeSpan remaining);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "Cloud provider '{Provider}': the identity platform cannot issue a new token now; serving the current one up to shortly before it expires at {ExpiresOn:O}.")]
    private partial void LogServedAsLastResort(string provider, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': the token was not used for {Periods} refresh periods; it is no longer refreshed.")]
    private partial void LogIdle(string provider, int periods);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error,
        Message = "Cloud provider '{Provider}': background token work failed unexpectedly; the next call or refresh tries again.")]
    private partial void LogBackgroundFailed(Exception exception, string provider);
}
