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
    private partial void LogTokenInvalidated(string provider, string fingerprint, string account, MailProtocol protocol);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug,
        Message = "Cloud provider '{Provider}': token {Fingerprint} refused for {Account} over {Protocol} was already replaced.")]
    private partial void LogInvalidationIgnored(string provider, string fingerprint, string account, MailProtocol protocol);
}
