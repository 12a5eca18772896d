using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// Checks a client assertion issued by someone other than the application itself against the application's federated
/// credentials, as Entra ID does: a record with the assertion's issuer, then its subject, then its audience (each compared
/// case-sensitively), then the issuer's signature and the lifetime. Refusals use Entra's codes and words.
/// </summary>
internal sealed class FederatedAssertionCheck(EmulatorIdentityServer server)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<StsError?> CheckAsync(EmulatorApplication application, string assertion, JsonWebToken token)
    {
        var issuer = token.Issuer ?? string.Empty;
        var subject = token.Subject ?? string.Empty;
        var audiences = token.Audiences.ToArray();
        var credentials = application.FederatedCredentials.ToArray();
        if (credentials.Length == 0)
        {
            return StsErrors.NoFederatedCredential(issuer, subject, string.Join(", ", audiences));
        }

        var byIssuer = credentials.Where(c => string.Equals(c.Issuer, issuer, StringComparison.Ordinal)).ToArray();
        if (byIssuer.Length == 0)
        {
            return StsErrors.FederatedIssuerMismatch(issuer);
        }

        var bySubject = byIssuer.Where(c => string.Equals(c.Subject, subject, StringComparison.Ordinal)).ToArray();
        if (bySubject.Length == 0)
        {
            return StsErrors.FederatedSubjectMismatch(subject);
        }

        if (!bySubject.Any(c => audiences.Contains(c.Audience, StringComparer.Ordinal)))
        {
            return StsErrors.FederatedAudienceMismatch(string.Join(", ", audiences));
        }

        var key = SigningKeyOf(issuer);
        if (key is null)
        {
            return StsErrors.FederatedIssuerKeysUnavailable(issuer);
        }

        var result = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = key.SecurityKey,
            ValidateIssuerSigningKey = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return StsErrors.InvalidClientAssertion($"The signature does not verify with the keys of issuer '{issuer}'.");
        }

        return ClientAuthenticator.CheckLifetime(token, server.TimeProvider);
    }

    // The emulator's own managed identity tokens are signed with its key; an external issuer's with the key it was trusted with.
    private EmulatorSigningKey? SigningKeyOf(string issuer) =>
        server.Directory.Tenants.Any(tenant => string.Equals(server.GetIssuer(tenant), issuer, StringComparison.Ordinal))
            ? server.Tokens.SigningKey
            : server.Directory.FindExternalIssuer(issuer)?.SigningKey;
}
