using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>How a client proved who it is at the token endpoint.</summary>
internal enum ClientAuthentication
{
    /// <summary>It sent no credential (a public client).</summary>
    None,

    /// <summary>It sent a valid secret or assertion.</summary>
    Authenticated,
}

/// <summary>Checks a client's secret or certificate-signed assertion against its app registration, answering Entra's errors.</summary>
internal sealed class ClientAuthenticator(EmulatorIdentityServer server)
{
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<(ClientAuthentication Result, StsError? Error)> AuthenticateAsync(
        EmulatorApplication application,
        IFormCollection form,
        HttpContext context)
    {
        var secret = form["client_secret"].FirstOrDefault();
        var assertion = form["client_assertion"].FirstOrDefault();
        if (!string.IsNullOrEmpty(secret))
        {
            return CheckSecret(application, secret);
        }

        if (!string.IsNullOrEmpty(assertion))
        {
            if (!string.Equals(form["client_assertion_type"].FirstOrDefault(), JwtBearerAssertionType, StringComparison.Ordinal))
            {
                return (ClientAuthentication.None, new StsError("invalid_request", 50027, $"Invalid client_assertion_type; expected '{JwtBearerAssertionType}'.", System.Net.HttpStatusCode.BadRequest));
            }

            return await CheckAssertionAsync(application, assertion, context).ConfigureAwait(false);
        }

        return (ClientAuthentication.None, null);
    }

    private (ClientAuthentication, StsError?) CheckSecret(EmulatorApplication application, string value)
    {
        var secret = application.FindSecret(value);
        if (secret is null)
        {
            // Covers the usual mistake of sending the secret's ID instead of its value: Entra answers the same AADSTS7000215.
            return (ClientAuthentication.None, StsErrors.InvalidClientSecret(application.ClientId));
        }

        if (secret.ExpiresOn is { } expiresOn && expiresOn <= server.TimeProvider.GetUtcNow())
        {
            return (ClientAuthentication.None, StsErrors.ClientSecretExpired(application.ClientId));
        }

        server.Counters.CountSecretAccepted(secret);
        return (ClientAuthentication.Authenticated, null);
    }

    private async Task<(ClientAuthentication, StsError?)> CheckAssertionAsync(EmulatorApplication application, string assertion, HttpContext context)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            return (ClientAuthentication.None, StsErrors.InvalidClientAssertion("The assertion is not a JWT."));
        }

        var certificate = FindCertificate(application, token);
        if (certificate is null)
        {
            return (ClientAuthentication.None, StsErrors.AssertionCertificateNotRegistered(application.ClientId));
        }

        var result = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new X509SecurityKey(certificate),
            ValidateIssuerSigningKey = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (ClientAuthentication.None, StsErrors.InvalidClientAssertion("The signature does not verify with the registered certificate."));
        }

        if (!string.Equals(token.Issuer, application.ClientId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(token.Subject, application.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return (ClientAuthentication.None, StsErrors.InvalidClientAssertion("The 'iss' and 'sub' claims must both be the client id."));
        }

        if (!token.Audiences.Any(a => ValidAudiences(application, context).Contains(a.TrimEnd('/'))))
        {
            return (ClientAuthentication.None, StsErrors.InvalidClientAssertion("The 'aud' claim must be the token endpoint."));
        }

        var now = server.TimeProvider.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromMinutes(5);
        if (!token.TryGetPayloadValue<long>("exp", out _) || token.ValidTo + skew <= now || (token.ValidFrom != DateTime.MinValue && token.ValidFrom - skew > now))
        {
            return (ClientAuthentication.None, StsErrors.AssertionOutOfTimeRange());
        }

        return (ClientAuthentication.Authenticated, null);
    }

    private static X509Certificate2? FindCertificate(EmulatorApplication application, JsonWebToken token)
    {
        token.TryGetHeaderValue<string>("x5t", out var x5t);
        token.TryGetHeaderValue<string>("x5t#S256", out var x5tS256);
        var kid = token.Kid;
        return application.Certificates.FirstOrDefault(c =>
        {
            var sha1 = Base64UrlEncoder.Encode(c.GetCertHash());
            var sha256 = Base64UrlEncoder.Encode(c.GetCertHash(HashAlgorithmName.SHA256));
            return string.Equals(x5t, sha1, StringComparison.Ordinal)
                || string.Equals(x5tS256, sha256, StringComparison.Ordinal)
                || string.Equals(kid, c.Thumbprint, StringComparison.OrdinalIgnoreCase)
                || string.Equals(kid, sha1, StringComparison.Ordinal)
                || string.Equals(kid, sha256, StringComparison.Ordinal);
        });
    }

    /// <summary>Entra takes the token endpoint (by tenant id or domain, v1 or v2) or the v2 issuer as an assertion's audience.</summary>
    private HashSet<string> ValidAudiences(EmulatorApplication application, HttpContext context)
    {
        var root = server.BaseAddress.ToString().TrimEnd('/');
        var tenant = application.Tenant;
        var audiences = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            $"{root}{context.Request.Path}".TrimEnd('/'),
            $"{root}/{tenant.TenantId}/v2.0",
        };
        foreach (var segment in new[] { tenant.TenantId, tenant.Domain })
        {
            audiences.Add($"{root}/{segment}/oauth2/v2.0/token");
            audiences.Add($"{root}/{segment}/oauth2/token");
        }

        return audiences;
    }
}
