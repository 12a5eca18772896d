using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace XCally.ModernAuth.Internal;

/// <summary>What one OAuth authentication of a MailKit client needs besides the client.</summary>
internal sealed class OAuthAuthenticationContext
{
    public OAuthAuthenticationContext(EmailAccount account, MailProtocol protocol, ITokenProvider tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        Account = account;
        Protocol = protocol;
        TokenProvider = tokenProvider;
    }

    public EmailAccount Account { get; }

    public MailProtocol Protocol { get; }

    public ITokenProvider TokenProvider { get; }

    /// <summary>The login name the protocol is given (<see cref="EmailAccount.GetLoginName"/>): a shared mailbox for IMAP and POP3, the signed-in user for SMTP.</summary>
    public string LoginName => Account.GetLoginName(Protocol);

    /// <summary>The account's endpoint for <see cref="Protocol"/>, if the protocol is enabled; used in messages and to reconnect.</summary>
    public MailEndpoint? Endpoint => Account.GetEndpoint(Protocol);

    /// <summary>The account's cloud provider, when known: its flow picks the advice, its client id and tenant are quoted in it.</summary>
    public CloudProvider? Provider { get; init; }

    /// <summary>The provider's flow, which picks the advice; <see langword="null"/> gives the advice for both flows.</summary>
    public AuthFlow? Flow => Provider?.Flow;

    /// <summary>The provider's client id, quoted in the advice.</summary>
    public string? ClientId => Provider?.ClientId;

    /// <summary>Decides whether a refused token may be dropped; shared by every authentication with the same token provider.</summary>
    public TokenRefusalPolicy RefusalPolicy { get; init; } = TokenRefusalPolicies.For(tokenProvider: null);

    /// <summary>The wall clock that token expiry is checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Lets a test server on loopback run without TLS. Never set in production.</summary>
    public bool AllowClearTextOnLoopback { get; init; }

    /// <summary>Reconnects the client when the server closed the connection after refusing a token; <see langword="null"/> if it cannot.</summary>
    public Func<CancellationToken, Task>? Reconnect { get; init; }

    /// <summary>The server's last line, when the connector recorded it; MailKit does not always pass the server's words on.</summary>
    public Func<string?>? LastServerLine { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The token last sent to the server, whose claims explain a refusal after AUTHENTICATE (never quoted).</summary>
    public AccessToken? SentToken { get; set; }

    /// <summary>The endpoint for messages: <c>host:port (mode)</c>, or a neutral word when unknown.</summary>
    public string EndpointDescription => Endpoint?.ToString() ?? "the server";
}
