using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using XCally.ModernAuth.Testing.Identity.Internal;

namespace XCally.ModernAuth.Testing.Graph.Internal;

/// <summary>Who a Graph request comes from: the checked token's application, kind, permissions and user.</summary>
internal sealed record GraphCaller(EmulatorApplication Application, bool AppOnly, IReadOnlySet<string> Permissions, string? UserPrincipalName, string TenantId)
{
    public bool Has(params string[] permissions) => permissions.Any(Permissions.Contains);
}

/// <summary>Checks a bearer token as Microsoft Graph does: the emulator's signature, a known tenant's v1 issuer, Graph's audience, the lifetime.</summary>
internal sealed class GraphTokenValidator
{
    private const string IssuerPrefix = "https://sts.windows.net/";

    private readonly EmulatorDirectory _directory;
    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    public GraphTokenValidator(EmulatorDirectory directory, EmulatorSigningKey signingKey, TimeProvider timeProvider)
    {
        _directory = directory;
        _timeProvider = timeProvider;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = signingKey.SecurityKey,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            IssuerValidator = (issuer, _, _) => issuer.StartsWith(IssuerPrefix, StringComparison.Ordinal) && _directory.FindTenant(issuer[IssuerPrefix.Length..].TrimEnd('/')) is not null
                ? issuer
                : throw new SecurityTokenInvalidIssuerException("The issuer is not the v1 issuer of a known tenant."),
            ValidateAudience = true,
            ValidAudiences = [.. ScopeRequest.GraphResources, .. ScopeRequest.GraphResources.Select(resource => resource + "/"), "00000003-0000-0000-c000-000000000000"],
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _timeProvider.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp.ToUniversalTime().AddMinutes(5) && (notBefore is not { } nbf || now >= nbf.ToUniversalTime().AddMinutes(-5));
            },
        };
    }

    /// <summary>The caller, or Graph's 401 message.</summary>
    public async Task<(GraphCaller? Caller, string? Error)> ValidateAsync(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "Access token is empty.");
        }

        var result = await _handler.ValidateTokenAsync(authorization["Bearer ".Length..].Trim(), _parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception switch
            {
                SecurityTokenInvalidAudienceException => "Access token validation failure. Invalid audience.",
                SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException => "Lifetime validation failed, the token is expired.",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "Access token validation failure. Invalid signature.",
                _ => "Access token validation failure.",
            });
        }

        var clientId = Claim(jwt, "appid") ?? Claim(jwt, "azp");
        if (clientId is null || _directory.FindApplication(clientId) is not { } application)
        {
            return (null, "Access token validation failure. Unknown application.");
        }

        var roles = jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value);
        var scopes = Claim(jwt, "scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var appOnly = string.Equals(Claim(jwt, "idtyp"), "app", StringComparison.OrdinalIgnoreCase) || scopes is null;
        var permissions = new HashSet<string>(appOnly ? roles : scopes!, StringComparer.OrdinalIgnoreCase);
        return (new GraphCaller(application, appOnly, permissions, Claim(jwt, "upn"), Claim(jwt, "tid") ?? string.Empty), null);
    }

    private static string? Claim(JsonWebToken jwt, string type) =>
        jwt.TryGetPayloadValue<string>(type, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
