using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// <c>POST /{tenant}/oauth2/v2.0/token</c>: client credentials, authorization code (with PKCE), refresh token and device code
/// grants, answering like Entra ID, errors included.
/// </summary>
internal sealed class TokenEndpoint(EmulatorIdentityServer server)
{
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    private readonly ClientAuthenticator _authenticator = new(server);

    public async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;
        var grantType = form["grant_type"].FirstOrDefault();
        var clientId = form["client_id"].FirstOrDefault();
        server.Counters.CountTokenRequest(grantType, clientId, server.TimeProvider.GetUtcNow());

        if (server.Faults.TryTake(clientId) is { } fault)
        {
            server.LogFault(fault, clientId ?? string.Empty);
            if (fault.Latency is { } latency)
            {
                // Wall-clock on purpose: latency exists to trip the client's own timeouts.
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }

            if (fault.ToError(clientId ?? string.Empty) is { } injected)
            {
                await HttpResponses.WriteErrorAsync(context, server, injected, fault.RetryAfter, fault.RetryAfterAsDate).ConfigureAwait(false);
                return;
            }
        }

        var error = await HandleGrantAsync(context, form, grantType, clientId).ConfigureAwait(false);
        if (error is not null)
        {
            server.LogRefused(grantType ?? string.Empty, clientId ?? string.Empty, error.Error, error.Code);
            await HttpResponses.WriteErrorAsync(context, server, error).ConfigureAwait(false);
        }
        else
        {
            server.LogIssued(grantType ?? string.Empty, clientId ?? string.Empty);
        }
    }

    private async Task<StsError?> HandleGrantAsync(HttpContext context, IFormCollection form, string? grantType, string? clientId)
    {
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        if (tenant is null && !isAlias)
        {
            return StsErrors.TenantNotFound(HttpResponses.TenantSegment(context));
        }

        if (string.IsNullOrEmpty(grantType))
        {
            return StsErrors.MissingParameter("grant_type");
        }

        if (!ClientLookup.TryFind(server, context, tenant, isAlias, clientId, out var application, out var clientError))
        {
            return clientError;
        }

        var (authentication, authError) = await _authenticator.AuthenticateAsync(application, form, context).ConfigureAwait(false);
        if (authError is not null)
        {
            return authError;
        }

        var isConfidentialOnlyGrant = grantType is "client_credentials";
        if (authentication == ClientAuthentication.None && (isConfidentialOnlyGrant || !application.AllowPublicClientFlows))
        {
            return StsErrors.ClientCredentialMissing();
        }

        var request = new TokenRequest(context, form, application);
        return grantType switch
        {
            "client_credentials" => await ClientCredentialsAsync(request).ConfigureAwait(false),
            "authorization_code" => await AuthorizationCodeAsync(request).ConfigureAwait(false),
            "refresh_token" => await RefreshTokenAsync(request).ConfigureAwait(false),
            // MSAL sends the short form; RFC 8628 names the URN. Entra takes both.
            DeviceCodeGrantType or "device_code" => await DeviceCodeAsync(request).ConfigureAwait(false),
            _ => StsErrors.UnsupportedGrantType(grantType),
        };
    }

    private async Task<StsError?> ClientCredentialsAsync(TokenRequest request)
    {
        var (resource, error) = ScopeRequest.Parse(request.Form["scope"].FirstOrDefault()).ForClientCredentials(request.Application.Tenant.TenantId);
        if (error is not null)
        {
            return error;
        }

        // An app without granted roles still gets a token, without a roles claim: the mail server is the one to refuse it.
        var accessToken = server.Tokens.IssueAppOnlyAccessToken(request.Application, resource!);
        var lifetime = (long)server.Tokens.AccessTokenLifetime.TotalSeconds;
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = accessToken,
        };
        if (lifetime > 7200)
        {
            body["refresh_in"] = lifetime / 2;
        }

        await HttpResponses.WriteJsonAsync(request.Context, body).ConfigureAwait(false);
        return null;
    }

    private async Task<StsError?> AuthorizationCodeAsync(TokenRequest request)
    {
        var code = request.Form["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(code))
        {
            return StsErrors.MissingParameter("code");
        }

        AuthorizationCodeGrant grant;
        lock (server.Grants.Gate)
        {
            var found = server.Grants.FindCode(code);
            if (found is null || !ReferenceEquals(found.Application, request.Application))
            {
                return StsErrors.InvalidGrant("code");
            }

            if (found.Redeemed)
            {
                return StsErrors.CodeAlreadyRedeemed();
            }

            if (found.ExpiresAt <= server.TimeProvider.GetUtcNow())
            {
                return StsErrors.GrantExpired();
            }

            var redirectUri = request.Form["redirect_uri"].FirstOrDefault() ?? string.Empty;
            if (!string.Equals(redirectUri, found.RedirectUri, StringComparison.Ordinal))
            {
                return StsErrors.RedirectUriMismatch(redirectUri, request.Application.ClientId);
            }

            if (found.CodeChallenge is not null && !VerifierMatches(found, request.Form["code_verifier"].FirstOrDefault()))
            {
                return StsErrors.PkceMismatch();
            }

            found.Redeemed = true;
            grant = found;
        }

        if (!grant.User.Enabled)
        {
            return StsErrors.UserDisabled();
        }

        var scope = request.Form["scope"].FirstOrDefault() is { Length: > 0 } asked ? asked : grant.Scope;
        return await WriteDelegatedAsync(request, grant.User, ScopeRequest.Parse(scope), grant.Nonce).ConfigureAwait(false);
    }

    private async Task<StsError?> RefreshTokenAsync(TokenRequest request)
    {
        var refreshToken = request.Form["refresh_token"].FirstOrDefault();
        if (string.IsNullOrEmpty(refreshToken))
        {
            return StsErrors.MissingParameter("refresh_token");
        }

        var now = server.TimeProvider.GetUtcNow();
        RefreshTokenGrant grant;
        lock (server.Grants.Gate)
        {
            var found = server.Grants.FindRefreshToken(refreshToken);
            if (found is null)
            {
                return StsErrors.MalformedRefreshToken();
            }

            if (!ReferenceEquals(found.Application, request.Application))
            {
                return StsErrors.InvalidGrant("refresh_token");
            }

            if (found.Revoked || !found.User.Enabled)
            {
                return StsErrors.GrantRevoked();
            }

            if (found.Used)
            {
                server.Counters.CountRefreshTokenReuse();

                // Entra keeps a redeemed refresh token valid until it expires; strict rotation makes each good for one redemption.
                if (server.Options.StrictRefreshTokenRotation)
                {
                    return StsErrors.InvalidGrant("refresh_token");
                }
            }

            if (found.ExpiresAt <= now)
            {
                return StsErrors.GrantExpired();
            }

            if (!server.Grants.HasConsent(found.Application, found.User))
            {
                return StsErrors.ConsentRequired(found.Application);
            }

            found.Used = true;
            grant = found;
        }

        return await WriteDelegatedAsync(request, grant.User, ScopeRequest.Parse(request.Form["scope"].FirstOrDefault()), nonce: null).ConfigureAwait(false);
    }

    private async Task<StsError?> DeviceCodeAsync(TokenRequest request)
    {
        var deviceCode = request.Form["device_code"].FirstOrDefault();
        if (string.IsNullOrEmpty(deviceCode))
        {
            return StsErrors.MissingParameter("device_code");
        }

        DeviceCodeGrant grant;
        lock (server.Grants.Gate)
        {
            var found = server.Grants.FindDeviceCode(deviceCode);
            if (found is null || !ReferenceEquals(found.Application, request.Application) || found.State == DeviceCodeState.Redeemed)
            {
                return StsErrors.InvalidGrant("device_code");
            }

            if (found.ExpiresAt <= server.TimeProvider.GetUtcNow())
            {
                return StsErrors.DeviceCodeExpired();
            }

            switch (found.State)
            {
                case DeviceCodeState.Pending:
                    return StsErrors.AuthorizationPending();
                case DeviceCodeState.Declined:
                    return StsErrors.DeviceCodeDeclined();
            }

            found.State = DeviceCodeState.Redeemed;
            grant = found;
        }

        return await WriteDelegatedAsync(request, grant.User!, ScopeRequest.Parse(grant.Scope), nonce: null).ConfigureAwait(false);
    }

    /// <summary>Answers a delegated grant: access token, and ID token, client info and refresh token when asked for.</summary>
    private async Task<StsError?> WriteDelegatedAsync(TokenRequest request, EmulatorUser user, ScopeRequest scopes, string? nonce)
    {
        var application = request.Application;
        var (resource, permissions, error) = scopes.ForDelegated(application);
        if (error is not null)
        {
            return error;
        }

        // Graph's permissions must have been consented to in a sign-in (as the first resource or as extra scopes to consent).
        if (ScopeRequest.IsGraphResource(resource!) && !server.Grants.HasConsentTo(application, user, permissions))
        {
            return StsErrors.ConsentRequired(application);
        }

        var accessToken = server.Tokens.IssueDelegatedAccessToken(application, user, permissions, resource!);
        var lifetime = (long)server.Tokens.AccessTokenLifetime.TotalSeconds;
        var grantedScopes = permissions.Select(p => $"{resource}/{p}").Concat(scopes.Oidc);
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', grantedScopes),
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = accessToken,
        };
        if (scopes.WantsRefreshToken)
        {
            body["refresh_token"] = server.Grants.AddRefreshToken(
                new RefreshTokenGrant(application, user, server.TimeProvider.GetUtcNow() + server.Options.RefreshTokenLifetime));
        }

        if (scopes.WantsIdToken)
        {
            body["id_token"] = server.Tokens.IssueIdToken(application, user, $"{server.BaseAddress}{user.Tenant.TenantId}/v2.0", nonce);
        }

        if (request.Form["client_info"].FirstOrDefault() == "1")
        {
            body["client_info"] = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
                new JsonObject { ["uid"] = user.ObjectId, ["utid"] = user.Tenant.TenantId }.ToJsonString()));
        }

        await HttpResponses.WriteJsonAsync(request.Context, body).ConfigureAwait(false);
        return null;
    }

    private static bool VerifierMatches(AuthorizationCodeGrant grant, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier))
        {
            return false;
        }

        var expected = string.Equals(grant.CodeChallengeMethod, "plain", StringComparison.Ordinal)
            ? verifier
            : Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(grant.CodeChallenge!));
    }

    private sealed record TokenRequest(HttpContext Context, IFormCollection Form, EmulatorApplication Application);
}
