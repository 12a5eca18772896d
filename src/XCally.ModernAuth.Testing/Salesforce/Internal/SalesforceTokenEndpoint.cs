using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Salesforce.Internal;

/// <summary>
/// <c>POST /services/oauth2/token</c>: client credentials (on the My Domain host only), JWT bearer and username-password (only
/// when the org allows it), answering with Salesforce's bodies, refusals included. Sessions carry no <c>expires_in</c>.
/// </summary>
internal sealed class SalesforceTokenEndpoint(SalesforceEmulator emulator)
{
    private EmulatorSalesforceOrg Org => emulator.Org;

    public async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;
        var grantType = form["grant_type"].FirstOrDefault();
        emulator.Counters.CountTokenRequest(grantType);

        if (Org.TakeTokenFault() is { } fault)
        {
            if (fault.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, fault.Status, fault.Error, fault.Description).ConfigureAwait(false);
            return;
        }

        var (user, error, description) = grantType switch
        {
            "client_credentials" => ClientCredentials(context, form),
            "password" => Password(form),
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => JwtBearer(form["assertion"].FirstOrDefault()),
            _ => (null, "unsupported_grant_type", "grant type not supported"),
        };

        if (user is null)
        {
            emulator.LogRefused(grantType ?? string.Empty, error!, description!);
            await ErrorAsync(context, StatusCodes.Status400BadRequest, error!, description!).ConfigureAwait(false);
            return;
        }

        if (!user.IsActive)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "inactive_user", "user is inactive").ConfigureAwait(false);
            return;
        }

        var accessToken = Org.StartSession(user);
        var instance = emulator.MyDomainUrl.GetLeftPart(UriPartial.Authority);
        var issuedAt = Org.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        emulator.LogIssued(grantType!, user.Username);
        await JsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["access_token"] = accessToken,
            ["signature"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken + issuedAt))),
            ["scope"] = "api",
            ["instance_url"] = instance,
            ["id"] = $"{instance}/id/{Org.OrganizationId}/{user.Id}",
            ["token_type"] = "Bearer",
            ["issued_at"] = issuedAt,
        }).ConfigureAwait(false);
    }

    internal static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.CacheControl = "no-cache,must-revalidate,max-age=0,no-store,private";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private (EmulatorSalesforceUser?, string?, string?) ClientCredentials(HttpContext context, IFormCollection form)
    {
        if (AuthenticateClient(form) is { } refused)
        {
            return refused;
        }

        // Client credentials are served only on the org's My Domain, not on login.salesforce.com (here: localhost).
        if (!string.Equals(context.Request.Host.Host, emulator.MyDomainUrl.Host, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "invalid_grant", "request not supported on this domain");
        }

        return Org.ClientCredentialsRunAs is { } runAs ? (runAs, null, null) : (null, "invalid_grant", "no client credentials user enabled");
    }

    private (EmulatorSalesforceUser?, string?, string?) Password(IFormCollection form)
    {
        if (AuthenticateClient(form) is { } refused)
        {
            return refused;
        }

        var user = Org.FindUser(form["username"].FirstOrDefault());
        var password = form["password"].FirstOrDefault();

        // A blocked flow and a wrong password get the same answer from Salesforce; only the user's Login History tells them apart.
        return !Org.AllowUsernamePasswordFlows || user is null || !string.Equals(password, user.Password + user.SecurityToken, StringComparison.Ordinal)
            ? (null, "invalid_grant", "authentication failure")
            : (user, null, null);
    }

    private (EmulatorSalesforceUser?, string?, string?)? AuthenticateClient(IFormCollection form)
    {
        if (!string.Equals(form["client_id"].FirstOrDefault(), Org.ConsumerKey, StringComparison.Ordinal))
        {
            return (null, "invalid_client_id", "client identifier invalid");
        }

        return string.Equals(form["client_secret"].FirstOrDefault(), Org.ConsumerSecret, StringComparison.Ordinal)
            ? null
            : (null, "invalid_client", "invalid client credentials");
    }

    private (EmulatorSalesforceUser?, string?, string?) JwtBearer(string? assertion)
    {
        var parts = assertion?.Split('.') ?? [];
        if (parts.Length != 3)
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        JsonObject claims;
        try
        {
            claims = JsonNode.Parse(Base64UrlEncoder.DecodeBytes(parts[1]))!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        if (!string.Equals((string?)claims["iss"], Org.ConsumerKey, StringComparison.Ordinal))
        {
            return (null, "invalid_client_id", "client identifier invalid");
        }

        using var key = Org.UploadedCertificate?.GetRSAPublicKey();
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (key is null || !key.VerifyData(signed, Base64UrlEncoder.DecodeBytes(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return (null, "invalid_grant", "invalid assertion");
        }

        var audience = (string?)claims["aud"];
        var audiences = new[] { emulator.MyDomainUrl, emulator.LoginUrl }.Select(u => u.GetLeftPart(UriPartial.Authority));
        if (!audiences.Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            return (null, "invalid_grant", "audience is invalid");
        }

        // Salesforce accepts an exp in the future, at most 5 minutes ahead of its own clock; anything else reads as expired.
        var now = Org.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"]?.GetValue<long>() is not { } exp || exp <= now || exp > now + 300)
        {
            return (null, "invalid_grant", "expired authorization code");
        }

        var user = Org.FindUser((string?)claims["sub"]);
        return user is not null && Org.PreAuthorizedUsers.Contains(user.Username)
            ? (user, null, null)
            : (null, "invalid_grant", "user hasn't approved this consumer");
    }
}
