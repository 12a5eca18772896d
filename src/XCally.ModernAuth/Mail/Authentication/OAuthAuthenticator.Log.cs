using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

internal static partial class OAuthAuthenticator
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Authenticated {Account} over {Protocol} with {Mechanism}")]
    private static partial void LogAuthenticated(ILogger logger, string account, MailProtocol protocol, string mechanism);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "The {Protocol} server refused the token of {Account} ({Response}); retrying once with a fresh token")]
    private static partial void LogRetrying(ILogger logger, string account, MailProtocol protocol, string response);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Sending the token of {Account} over {Protocol} to {Endpoint} without TLS, as allowed for loopback")]
    private static partial void LogClearText(ILogger logger, string account, MailProtocol protocol, string endpoint);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "The {Protocol} server refused the token of {Account} ({Response}) that it had refused before; not requesting another token: the mailbox, not the token, needs fixing")]
    private static partial void LogRefusedAgain(ILogger logger, string account, MailProtocol protocol, string response);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "The token for {Account} over {Protocol} expired at {ExpiredAt:O}; not sending it, asking the token provider for a new one")]
    private static partial void LogExpiredToken(ILogger logger, string account, MailProtocol protocol, DateTimeOffset expiredAt);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "The {Protocol} server refused {SignInUser}'s sound token for shared mailbox {Account} ({Response}); not requesting another token: {SignInUser} needs Full Access to the mailbox")]
    private static partial void LogDelegateRefused(ILogger logger, string account, MailProtocol protocol, string signInUser, string response);
}
