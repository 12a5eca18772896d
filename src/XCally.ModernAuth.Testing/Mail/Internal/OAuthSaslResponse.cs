using System.Text;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>The parsed client response of SASL XOAUTH2 or OAUTHBEARER (RFC 7628): the mailbox and the bearer token.</summary>
/// <param name="User">The <c>user=</c> (XOAUTH2) or <c>a=</c> (OAUTHBEARER) mailbox.</param>
/// <param name="Token">The bearer token.</param>
internal sealed record OAuthSaslResponse(string User, string Token)
{
    public const string XOAuth2 = "XOAUTH2";
    public const string OAuthBearer = "OAUTHBEARER";

    public static bool IsSupported(string mechanism) =>
        mechanism.Equals(XOAuth2, StringComparison.OrdinalIgnoreCase) || mechanism.Equals(OAuthBearer, StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes and parses a base64 client response.</summary>
    /// <param name="mechanism">XOAUTH2 or OAUTHBEARER.</param>
    /// <param name="base64">The response as sent.</param>
    /// <returns>The response, or <see langword="null"/> when it is malformed.</returns>
    public static OAuthSaslResponse? TryParse(string mechanism, string base64)
    {
        var buffer = new byte[(base64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var parts = text.Split('\x01');
        string? user = null;
        string? auth = null;
        var first = 0;
        if (mechanism.Equals(OAuthBearer, StringComparison.OrdinalIgnoreCase))
        {
            // GS2 header: "n,a=user," with ',' and '=' escaped as =2C and =3D.
            var gs2 = parts[0].Split(',');
            if (gs2.Length < 3 || gs2[0] is not ("n" or "y"))
            {
                return null;
            }

            if (gs2[1].StartsWith("a=", StringComparison.Ordinal))
            {
                user = gs2[1][2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            }

            first = 1;
        }

        for (var i = first; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith("user=", StringComparison.Ordinal) && mechanism.Equals(XOAuth2, StringComparison.OrdinalIgnoreCase))
            {
                user = part[5..];
            }
            else if (part.StartsWith("auth=", StringComparison.Ordinal))
            {
                auth = part[5..];
            }
        }

        const string Bearer = "Bearer ";
        if (string.IsNullOrWhiteSpace(user) || auth is null || !auth.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = auth[Bearer.Length..].Trim();
        return token.Length == 0 ? null : new OAuthSaslResponse(user, token);
    }

    /// <inheritdoc />
    public override string ToString() => $"SASL response for {User}";
}
