using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

// Log lines name the provider, the account and a token's fingerprint, never the token or the credential's material.
internal sealed partial class TokenProvider
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}': MSAL confidential client created for authority {Authority} with a {Credential}.")]
    private partial void LogClientCreated(string provider, Uri authority, string credential);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}': configuration changed; MSAL confidential client rebuilt for authority {Authority} with a {Credential}.")]
    private partial void LogClientReplaced(string provider, Uri authority, string credential);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}': token {Fingerprint} refused for {Account} over {Protocol} was dropped; the next request gets a new one.")]
    private partial void LogTokenInvalidated(string provider, string fingerprint, string account, string protocol);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': token {Fingerprint} refused for {Account} over {Protocol} was already replaced.")]
    private partial void LogInvalidationIgnored(string provider, string fingerprint, string account, string protocol);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}' is no longer in the store, or changed; its tokens are no longer refreshed.")]
    private partial void LogProviderRemoved(string provider);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information,
        Message = "Cloud provider '{Provider}': email account {Account} is no longer in the store, or changed; its tokens are no longer refreshed. Its sign-in stays in the token cache until revoked.")]
    private partial void LogAccountRemoved(string provider, string account);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "The providers and accounts could not be read from the stores after a change signal; the next signal tries again, and each provider is still looked up again on its next use.")]
    private partial void LogSweepFailed(Exception exception);
}
