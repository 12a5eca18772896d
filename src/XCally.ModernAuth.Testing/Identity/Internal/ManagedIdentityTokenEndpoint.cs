using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// <c>GET /msi/token</c>: App Service's managed identity endpoint (API version 2019-08-01): the secret header, the resource, an
/// optional user-assigned identity (<c>client_id</c>, <c>mi_res_id</c>, <c>principal_id</c>), answering a token or App Service's error.
/// </summary>
internal sealed class ManagedIdentityTokenEndpoint(EmulatorIdentityServer server)
{
    public const string Path = "/msi/token";
    private const string ApiVersion = "2019-08-01";

    public async Task HandleAsync(HttpContext context)
    {
        var endpoint = server.ManagedIdentity;
        endpoint.CountRequest();
        var query = context.Request.Query;
        if (!string.Equals(context.Request.Headers["X-IDENTITY-HEADER"].FirstOrDefault(), endpoint.Header, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "The request is not authorized: the X-IDENTITY-HEADER header is missing or is not the value of IDENTITY_HEADER.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(query["api-version"].FirstOrDefault(), ApiVersion, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"The api-version '{query["api-version"]}' is not supported; use {ApiVersion}.").ConfigureAwait(false);
            return;
        }

        var resource = query["resource"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(resource))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The resource parameter is missing.").ConfigureAwait(false);
            return;
        }

        var identity = endpoint.Find(query["client_id"].FirstOrDefault(), query["mi_res_id"].FirstOrDefault(), query["principal_id"].FirstOrDefault() ?? query["object_id"].FirstOrDefault());
        if (identity is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.").ConfigureAwait(false);
            return;
        }

        // A token for the token exchange audience is a federated credential's assertion: Entra issues it with the v2 issuer and the
        // identity's object id as subject, which is what the federated credential names.
        var federated = resource.StartsWith("api://AzureADTokenExchange", StringComparison.OrdinalIgnoreCase);
        var overrides = federated ? new EmulatorTokenOverrides { Issuer = server.GetIssuer(identity.Tenant) } : null;
        var token = server.Tokens.IssueAppOnlyAccessToken(identity, resource.TrimEnd('/'), overrides);
        var expiresOn = server.TimeProvider.GetUtcNow() + server.Tokens.AccessTokenLifetime;
        server.LogIssued("managed_identity", identity.ClientId);
        await HttpResponses.WriteJsonAsync(context, new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = identity.ClientId,
        }).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        HttpResponses.WriteJsonAsync(
            context,
            new JsonObject { ["statusCode"] = status, ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString() },
            status);
}
