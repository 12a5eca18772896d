using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// Departures from a normal access token, for tests that need a token a server must refuse: expired, for another audience,
/// signed by a foreign key, without roles. Unset members keep the normal value.
/// </summary>
public sealed class EmulatorTokenOverrides
{
    /// <summary>
    /// The token's lifetime from <see cref="IssuedAt"/>. Zero or negative makes a token that expired that long ago (issued one
    /// normal lifetime before it expired).
    /// </summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>The issue time (<c>iat</c>, <c>nbf</c>); the time provider's now when unset.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>The <c>aud</c> claim, e.g. <c>https://graph.microsoft.com</c> for a wrong-audience token.</summary>
    public string? Audience { get; init; }

    /// <summary>The <c>iss</c> claim; <c>https://sts.windows.net/{tid}/</c> when unset.</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>tid</c> claim (and the tenant in <c>iss</c>).</summary>
    public string? TenantId { get; init; }

    /// <summary>The <c>roles</c> of an app-only token; an empty list leaves the claim out.</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>The delegated scopes (<c>scp</c>) of a delegated token, without resource prefix.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The <c>upn</c> and <c>unique_name</c> of a delegated token, e.g. a mailbox address a real mail server knows.</summary>
    public string? UserPrincipalName { get; init; }

    /// <summary>The credentials to sign with, e.g. a foreign key the servers do not trust.</summary>
    public SigningCredentials? SigningCredentials { get; init; }
}
