using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>OpenID Connect discovery, JWKS and instance discovery, shaped like Entra ID's.</summary>
internal sealed class MetadataEndpoints(EmulatorIdentityServer server)
{
    public Task OpenIdConfigurationAsync(HttpContext context, bool v2)
    {
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        var segment = HttpResponses.TenantSegment(context);
        if (tenant is null && !isAlias)
        {
            return HttpResponses.WriteErrorAsync(context, server, StsErrors.TenantNotFound(segment));
        }

        var tenantId = tenant?.TenantId ?? "{tenantid}";
        var root = server.BaseAddress.ToString();
        var authority = $"{root}{tenant?.TenantId ?? segment}/";
        var body = new JsonObject
        {
            ["token_endpoint"] = v2 ? $"{authority}oauth2/v2.0/token" : $"{authority}oauth2/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = v2 ? $"{authority}discovery/v2.0/keys" : $"{authority}discovery/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = v2 ? $"{root}{tenantId}/v2.0" : EmulatorTokenIssuer.AccessTokenIssuer(tenantId),
            ["request_uri_parameter_supported"] = false,
            ["authorization_endpoint"] = v2 ? $"{authority}oauth2/v2.0/authorize" : $"{authority}oauth2/authorize",
            ["device_authorization_endpoint"] = $"{authority}oauth2/v2.0/devicecode",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = v2 ? $"{authority}oauth2/v2.0/logout" : $"{authority}oauth2/logout",
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username", "name", "tid", "ver", "oid"),
            ["tenant_region_scope"] = "WW",
            ["cloud_instance_name"] = server.BaseAddress.Authority,
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
        };
        return HttpResponses.WriteJsonAsync(context, body);
    }

    public Task KeysAsync(HttpContext context)
    {
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        if (tenant is null && !isAlias)
        {
            return HttpResponses.WriteErrorAsync(context, server, StsErrors.TenantNotFound(HttpResponses.TenantSegment(context)));
        }

        var key = server.Tokens.SigningKey.ToJsonWebKey();
        var body = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = key.Kty,
                ["use"] = key.Use,
                ["kid"] = key.Kid,
                ["alg"] = key.Alg,
                ["n"] = key.N,
                ["e"] = key.E,
                ["issuer"] = tenant is null ? $"{server.BaseAddress}{{tenantid}}/v2.0" : $"{server.BaseAddress}{tenant.TenantId}/v2.0",
            }),
        };
        return HttpResponses.WriteJsonAsync(context, body);
    }

    /// <summary>Instance discovery metadata naming this host as the only alias, what MSAL reads when instance discovery is on.</summary>
    public Task InstanceDiscoveryAsync(HttpContext context)
    {
        var host = server.BaseAddress.Authority;
        var authorization = context.Request.Query["authorization_endpoint"].FirstOrDefault();
        var tenant = "common";
        if (Uri.TryCreate(authorization, UriKind.Absolute, out var endpoint) && endpoint.Segments.Length > 1)
        {
            tenant = endpoint.Segments[1].TrimEnd('/');
        }

        var body = new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{server.BaseAddress}{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = host,
                ["preferred_cache"] = host,
                ["aliases"] = new JsonArray(host),
            }),
        };
        return HttpResponses.WriteJsonAsync(context, body);
    }
}
