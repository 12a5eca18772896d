using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// An external OpenID Connect issuer of workload tokens, such as a Kubernetes cluster's service account issuer (what the workload
/// identity webhook writes to <c>AZURE_FEDERATED_TOKEN_FILE</c>) or GitHub Actions. It signs with a key of its own, which the
/// emulator trusts after <see cref="EmulatorDirectory.AddExternalIssuer"/>. Thread-safe.
/// </summary>
public sealed class EmulatorWorkloadIssuer : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Creates an issuer with a new signing key.</summary>
    /// <param name="issuer">The issuer URL (<c>iss</c>), e.g. <c>https://oidc.prod-aks.azure.com/{tenant}/{cluster}/</c>.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>; the system clock when omitted.</param>
    public EmulatorWorkloadIssuer(string issuer, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        Issuer = issuer;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The issuer (<c>iss</c>).</summary>
    public string Issuer { get; }

    /// <summary>The key tokens are signed with.</summary>
    public EmulatorSigningKey SigningKey { get; } = new();

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Mints a token about a workload, like a projected service account token.</summary>
    /// <param name="subject">The subject (<c>sub</c>), e.g. <c>system:serviceaccount:mail:channel</c>.</param>
    /// <param name="audience">The audience (<c>aud</c>); <see cref="EmulatorFederatedCredential.DefaultAudience"/> when omitted.</param>
    /// <param name="lifetime">The lifetime; one hour when omitted. Zero or negative makes a token that expired that long ago.</param>
    /// <returns>The signed token.</returns>
    public string IssueToken(string subject, string audience = EmulatorFederatedCredential.DefaultAudience, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        var span = lifetime ?? TimeSpan.FromHours(1);
        var expires = TimeProvider.GetUtcNow() + span;
        var issued = span > TimeSpan.Zero ? TimeProvider.GetUtcNow() : expires - TimeSpan.FromHours(1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", subject)]),
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = SigningKey.SigningCredentials,
            TokenType = "JWT",
        });
    }

    /// <summary>Frees the signing key.</summary>
    public void Dispose() => SigningKey.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"workload issuer {Issuer}";
}
