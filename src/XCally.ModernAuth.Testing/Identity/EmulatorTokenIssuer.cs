using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// Mints the access tokens and ID tokens of the emulator's identity platform, shaped like Microsoft Entra ID's v1 access tokens
/// for Exchange Online: RS256, <c>kid</c> = <see cref="EmulatorSigningKey.KeyId"/>, <c>iss</c> = <c>https://sts.windows.net/{tid}/</c>,
/// app-only tokens with <c>roles</c> and <c>idtyp=app</c>, delegated tokens with <c>scp</c>, <c>upn</c> and <c>idtyp=user</c>.
/// Usable without a running server, so mail tests can make the tokens they need. Thread-safe.
/// </summary>
public sealed class EmulatorTokenIssuer
{
    /// <summary>The default access token lifetime, one hour.</summary>
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(1);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Creates an issuer.</summary>
    /// <param name="signingKey">The key tokens are signed with.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>; the system clock when omitted.</param>
    /// <param name="accessTokenLifetime">The access token lifetime; <see cref="DefaultAccessTokenLifetime"/> when omitted.</param>
    public EmulatorTokenIssuer(EmulatorSigningKey signingKey, TimeProvider? timeProvider = null, TimeSpan? accessTokenLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (accessTokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(accessTokenLifetime), lifetime, "The access token lifetime must be positive.");
        }

        SigningKey = signingKey;
        TimeProvider = timeProvider ?? TimeProvider.System;
        AccessTokenLifetime = accessTokenLifetime ?? DefaultAccessTokenLifetime;
    }

    /// <summary>The key tokens are signed with.</summary>
    public EmulatorSigningKey SigningKey { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The lifetime of access tokens.</summary>
    public TimeSpan AccessTokenLifetime { get; }

    /// <summary>The issuer of access tokens for a tenant: <c>https://sts.windows.net/{tid}/</c>.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>The issuer.</returns>
    public static string AccessTokenIssuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    /// <summary>Mints an app-only (client credentials) access token for an application.</summary>
    /// <param name="application">The application; its granted <see cref="EmulatorApplication.AppRoles"/> of that resource become <c>roles</c>.</param>
    /// <param name="resource">The audience, e.g. <c>https://outlook.office365.com</c> or <c>https://graph.microsoft.com</c>.</param>
    /// <param name="overrides">Departures from the normal token.</param>
    /// <returns>The signed token.</returns>
    public string IssueAppOnlyAccessToken(EmulatorApplication application, string resource = "https://outlook.office365.com", EmulatorTokenOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        var tenantId = overrides?.TenantId ?? application.Tenant.TenantId;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["tid"] = tenantId,
            ["oid"] = application.ServicePrincipalId,
            ["sub"] = application.ServicePrincipalId,
            ["appid"] = application.ClientId,
            ["azp"] = application.ClientId,
            ["appidacr"] = "1",
            ["idtyp"] = "app",
            ["ver"] = "1.0",
        };
        var roles = overrides?.Roles ?? application.AppRolesFor(resource).Order(StringComparer.Ordinal).ToArray();
        if (roles.Count > 0)
        {
            claims["roles"] = roles.ToArray();
        }

        return CreateAccessToken(claims, resource, tenantId, overrides);
    }

    /// <summary>Mints a delegated access token: an application acting for a signed-in user.</summary>
    /// <param name="application">The application (<c>appid</c>, <c>azp</c>).</param>
    /// <param name="user">The user (<c>oid</c>, <c>upn</c>, <c>name</c>); <c>upn</c> is the mailbox address the mail servers check.</param>
    /// <param name="scopes">The delegated scopes without resource prefix (<c>scp</c>); the application's delegated scopes when omitted.</param>
    /// <param name="resource">The audience, e.g. <c>https://outlook.office.com</c>.</param>
    /// <param name="overrides">Departures from the normal token.</param>
    /// <returns>The signed token.</returns>
    public string IssueDelegatedAccessToken(
        EmulatorApplication application,
        EmulatorUser user,
        IEnumerable<string>? scopes = null,
        string resource = "https://outlook.office.com",
        EmulatorTokenOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        var tenantId = overrides?.TenantId ?? user.Tenant.TenantId;
        var upn = overrides?.UserPrincipalName ?? user.UserPrincipalName;
        var scp = overrides?.Scopes ?? (scopes ?? application.DelegatedScopes).Order(StringComparer.Ordinal).ToArray();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["tid"] = tenantId,
            ["oid"] = user.ObjectId,
            ["sub"] = PairwiseSubject(user.ObjectId, application.ClientId),
            ["appid"] = application.ClientId,
            ["azp"] = application.ClientId,
            ["appidacr"] = "1",
            ["upn"] = upn,
            ["unique_name"] = upn,
            ["name"] = user.DisplayName,
            ["scp"] = string.Join(' ', scp),
            ["idtyp"] = "user",
            ["ver"] = "1.0",
        };
        return CreateAccessToken(claims, resource, tenantId, overrides);
    }

    /// <summary>Mints a v2.0 ID token, what MSAL reads to build its account.</summary>
    /// <param name="application">The application (<c>aud</c>).</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="issuer">The issuer, <c>{authority host}/{tid}/v2.0</c>.</param>
    /// <param name="nonce">The nonce the client sent, if any.</param>
    /// <returns>The signed token.</returns>
    internal string IssueIdToken(EmulatorApplication application, EmulatorUser user, string issuer, string? nonce)
    {
        var now = TimeProvider.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["tid"] = user.Tenant.TenantId,
            ["oid"] = user.ObjectId,
            ["sub"] = PairwiseSubject(user.ObjectId, application.ClientId),
            ["preferred_username"] = user.UserPrincipalName,
            ["name"] = user.DisplayName,
            ["ver"] = "2.0",
        };
        if (!string.IsNullOrEmpty(nonce))
        {
            claims["nonce"] = nonce;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = application.ClientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + DefaultAccessTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = SigningKey.SigningCredentials,
            TokenType = "JWT",
        });
    }

    /// <summary>Entra's <c>sub</c> is pairwise: stable for one user and one application, different across applications.</summary>
    private static string PairwiseSubject(string objectId, string clientId) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{objectId}|{clientId}")).AsSpan(0, 24).ToArray());

    private string CreateAccessToken(Dictionary<string, object> claims, string resource, string tenantId, EmulatorTokenOverrides? overrides)
    {
        var issuedAt = overrides?.IssuedAt ?? TimeProvider.GetUtcNow();
        var lifetime = overrides?.Lifetime ?? AccessTokenLifetime;
        var expires = issuedAt + lifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            // exp must follow nbf: an already expired token was issued one normal lifetime before it expired.
            issuedAt = expires - AccessTokenLifetime;
        }

        var tokenId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        claims["uti"] = tokenId;
        claims["jti"] = tokenId;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = overrides?.Issuer ?? AccessTokenIssuer(tenantId),
            Audience = overrides?.Audience ?? resource,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = overrides?.SigningCredentials ?? SigningKey.SigningCredentials,
            TokenType = "JWT",
        });
    }
}
