using MailKit;
using MailKit.Security;

namespace XCally.ModernAuth.Internal;

/// <summary>Builds the SASL mechanism that carries an access token: XOAUTH2 when offered (Exchange Online), else OAUTHBEARER (RFC 7628).</summary>
internal static class OAuthSaslMechanisms
{
    public const string XOAuth2 = "XOAUTH2";

    public const string OAuthBearer = "OAUTHBEARER";

    /// <summary>The mechanism to use with a server, or <see langword="null"/> when it offers neither.</summary>
    /// <param name="offered">The mechanisms the server advertises.</param>
    /// <returns><see cref="XOAuth2"/>, <see cref="OAuthBearer"/> or <see langword="null"/>.</returns>
    public static string? Choose(IEnumerable<string> offered)
    {
        string? choice = null;
        foreach (var name in offered)
        {
            if (string.Equals(name, XOAuth2, StringComparison.OrdinalIgnoreCase))
            {
                return XOAuth2;
            }

            if (string.Equals(name, OAuthBearer, StringComparison.OrdinalIgnoreCase))
            {
                choice = OAuthBearer;
            }
        }

        return choice;
    }

    /// <summary>
    /// A new mechanism for one authentication. Mechanisms are never reused: each holds the token it was made with, and a reconnect
    /// that reused the first token is what makes a long-lived session fail with <c>AUTHENTICATE failed</c> after an hour.
    /// </summary>
    /// <param name="mechanismName">The result of <see cref="Choose"/>.</param>
    /// <param name="userName">The mailbox user name (<c>user=</c> / <c>a=</c>).</param>
    /// <param name="token">The access token.</param>
    /// <returns>The mechanism.</returns>
    public static SaslMechanism Create(string mechanismName, string userName, AccessToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(token);
        // OAUTHBEARER's host= and port= come from the URI the MailKit client gives the mechanism when it authenticates.
        return mechanismName switch
        {
            XOAuth2 => new SaslMechanismOAuth2(userName, token.Token),
            OAuthBearer => new SaslMechanismOAuthBearer(userName, token.Token),
            _ => throw new ArgumentOutOfRangeException(nameof(mechanismName), mechanismName, "Only XOAUTH2 and OAUTHBEARER carry access tokens."),
        };
    }

    /// <summary>The mechanisms a connected client's server advertises.</summary>
    /// <param name="client">The client.</param>
    /// <returns>The advertised mechanisms.</returns>
    public static IReadOnlyCollection<string> Offered(IMailService client) => client.AuthenticationMechanisms;
}
