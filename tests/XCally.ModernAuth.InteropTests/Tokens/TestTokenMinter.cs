using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.InteropTests.Tokens;

/// <summary>
/// Mints Entra-shaped delegated access tokens (RS256, <c>kid</c> header, <c>upn</c> = mailbox) signed with a given key, including
/// deliberately bad ones (expired) for the refusal tests.
/// </summary>
/// <param name="signingCredentials">The key and algorithm to sign with (its key id becomes the <c>kid</c> header).</param>
/// <param name="timeProvider">The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>.</param>
public sealed class TestTokenMinter(SigningCredentials signingCredentials, TimeProvider timeProvider)
{
    /// <summary>The audience of Exchange Online delegated tokens.</summary>
    public const string Audience = "https://outlook.office.com";

    /// <summary>The tenant id the tokens name.</summary>
    public static readonly Guid TenantId = new("6f1c2d3e-4a5b-4c6d-8e7f-901234567890");

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token valid for the next hour.</summary>
    /// <param name="mailbox">The mailbox (the <c>upn</c> claim, which Dovecot matches against the login name).</param>
    /// <returns>The compact JWT.</returns>
    public string Mint(string mailbox) => Mint(mailbox, TimeSpan.FromMinutes(-5), TimeSpan.FromHours(1));

    /// <summary>A token that expired a while ago (and was valid before that).</summary>
    /// <param name="mailbox">The mailbox.</param>
    /// <returns>The compact JWT.</returns>
    public string MintExpired(string mailbox) => Mint(mailbox, TimeSpan.FromHours(-2), TimeSpan.FromMinutes(-30));

    /// <summary>
    /// A valid token of a real Entra token's size (about 2,500 characters or more: group ids, <c>wids</c>, <c>amr</c>...),
    /// long enough that its SASL line passes the 2,048 characters servers such as Postfix cut at by default.
    /// </summary>
    /// <param name="mailbox">The mailbox.</param>
    /// <returns>The compact JWT.</returns>
    public string MintRealSize(string mailbox)
    {
        var groups = Enumerable.Range(0, 36).Select(i => ObjectIdFor($"group-{i}").ToString()).ToArray();
        return Mint(mailbox, TimeSpan.FromMinutes(-5), TimeSpan.FromHours(1), [.. groups.Select(id => new Claim("groups", id))]);
    }

    /// <summary>A token whose validity window is relative to now.</summary>
    /// <param name="mailbox">The mailbox.</param>
    /// <param name="notBefore">Start of validity relative to now.</param>
    /// <param name="expires">End of validity relative to now.</param>
    /// <param name="extraClaims">Claims added to the standard ones.</param>
    /// <returns>The compact JWT.</returns>
    public string Mint(string mailbox, TimeSpan notBefore, TimeSpan expires, params Claim[] extraClaims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        var now = timeProvider.GetUtcNow();
        var objectId = ObjectIdFor(mailbox).ToString();
        var descriptor = new SecurityTokenDescriptor
        {
            SigningCredentials = signingCredentials,
            Audience = Audience,
            Issuer = $"https://sts.windows.net/{TenantId}/",
            IssuedAt = (now + notBefore).UtcDateTime,
            NotBefore = (now + notBefore).UtcDateTime,
            Expires = (now + expires).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim("upn", mailbox),
                new Claim("unique_name", mailbox),
                new Claim("sub", objectId),
                new Claim("oid", objectId),
                new Claim("tid", TenantId.ToString()),
                new Claim("scp", "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send"),
                new Claim("ver", "1.0"),
                .. extraClaims,
            ]),
        };
        return Handler.CreateToken(descriptor);
    }

    // A stable object id per mailbox, so that sub/oid look like a directory's.
    private static Guid ObjectIdFor(string mailbox)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(mailbox.ToUpperInvariant()));
        return new Guid(hash.AsSpan(0, 16));
    }
}
