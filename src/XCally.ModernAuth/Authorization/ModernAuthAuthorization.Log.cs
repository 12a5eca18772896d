using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

// Log lines name accounts and users, never a code, state, verifier or token.
internal sealed partial class ModernAuthAuthorization
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Sign-in of {Account} (cloud provider '{Provider}') started; callback {RedirectUri}, valid for {Lifetime}.")]
    private partial void LogSignInStarted(string account, string provider, Uri redirectUri, TimeSpan lifetime);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "A sign-in callback was refused: its state is {Reason}.")]
    private partial void LogStateRefused(string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "{Account} (cloud provider '{Provider}') authorized by {User}; tokens stored in the token cache ({Store}).")]
    private partial void LogAuthorized(string account, string provider, string user, string store);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "The sign-in for {Account} (cloud provider '{Provider}') was made as {User}, another user; it was discarded.")]
    private partial void LogWrongUser(string account, string provider, string user);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information,
        Message = "Device code sign-in of {Account} (cloud provider '{Provider}') waiting for the user until {ExpiresOn:O}.")]
    private partial void LogDeviceCodeIssued(string account, string provider, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information,
        Message = "The sign-in of {Account} (cloud provider '{Provider}') was revoked; its tokens were removed from the token cache.")]
    private partial void LogRevoked(string account, string provider);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning,
        Message = "The sign-in of {Account} (cloud provider '{Provider}') came back with {Error} instead of a code (correlation id {CorrelationId}, trace id {TraceId}); its state was discarded.")]
    private partial void LogCallbackRefused(string account, string provider, string error, string? correlationId, string? traceId);
}
