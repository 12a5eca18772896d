using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// <c>GET /{tenant}/oauth2/v2.0/authorize</c>: signs a user in without a browser (the <c>login_hint</c> user, or whoever
/// <see cref="EmulatorIdentityServer.SignIn"/> picks) and redirects to the redirect URI with a code. Like Entra ID, a request
/// whose client or redirect URI cannot be trusted gets an error page (400 with the error body) instead of a redirect.
/// </summary>
internal sealed class AuthorizeEndpoint(EmulatorIdentityServer server)
{
    public Task HandleAsync(HttpContext context)
    {
        server.Counters.CountAuthorizeRequest();
        var query = context.Request.Query;
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        if (tenant is null && !isAlias)
        {
            return HttpResponses.WriteErrorAsync(context, server, StsErrors.TenantNotFound(HttpResponses.TenantSegment(context)));
        }

        var clientId = query["client_id"].FirstOrDefault();
        if (!ClientLookup.TryFind(server, context, tenant, isAlias, clientId, out var application, out var clientError))
        {
            return HttpResponses.WriteErrorAsync(context, server, clientError);
        }

        var redirectUri = query["redirect_uri"].FirstOrDefault() ?? string.Empty;
        if (!application.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            // Never redirect to an unregistered URI: that would make the endpoint an open redirector.
            return HttpResponses.WriteErrorAsync(context, server, StsErrors.RedirectUriMismatch(redirectUri, clientId));
        }

        var state = query["state"].FirstOrDefault();
        var error = Authorize(application, redirectUri, state, query, out var code);
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (error is null)
        {
            parameters["code"] = code;
        }
        else
        {
            parameters["error"] = error.Error;
            parameters["error_description"] = $"AADSTS{error.Code}: {error.Description}";
            parameters["error_codes"] = error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (state is not null)
        {
            parameters["state"] = state;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, parameters);
        return Task.CompletedTask;
    }

    private StsError? Authorize(EmulatorApplication application, string redirectUri, string? state, IQueryCollection query, out string? code)
    {
        code = null;
        var responseType = query["response_type"].FirstOrDefault() ?? string.Empty;
        if (responseType != "code")
        {
            return StsErrors.UnsupportedResponseType(responseType);
        }

        var scope = query["scope"].FirstOrDefault() ?? string.Empty;
        var scopes = ScopeRequest.Parse(scope);
        var (consented, scopeError) = scopes.ForConsent(application);
        if (scopeError is not null)
        {
            return scopeError.Code == 65001 ? scopeError with { Error = "consent_required" } : scopeError;
        }

        var challenge = query["code_challenge"].FirstOrDefault();
        var method = query["code_challenge_method"].FirstOrDefault() ?? (challenge is null ? null : "plain");
        if (challenge is not null && method is not ("S256" or "plain"))
        {
            return new StsError("invalid_request", 501471, $"Invalid code_challenge_method '{method}'; use 'S256'.", System.Net.HttpStatusCode.BadRequest);
        }

        var loginHint = query["login_hint"].FirstOrDefault();
        var prompt = query["prompt"].FirstOrDefault();
        var user = SelectUser(application, redirectUri, scopes, loginHint, prompt, state, out var userError);
        if (user is null)
        {
            return userError;
        }

        server.Grants.RecordConsent(application, user, consented);
        code = server.Grants.AddCode(new AuthorizationCodeGrant(
            application,
            user,
            redirectUri,
            scope,
            challenge,
            method,
            query["nonce"].FirstOrDefault(),
            server.TimeProvider.GetUtcNow() + server.Options.AuthorizationCodeLifetime));
        return null;
    }

    private EmulatorUser? SelectUser(
        EmulatorApplication application, string redirectUri, ScopeRequest scopes, string? loginHint, string? prompt, string? state, out StsError? error)
    {
        error = null;
        EmulatorUser? user;
        if (server.SignIn is { } signIn)
        {
            user = signIn(new AuthorizeRequest(application, redirectUri, scopes.All, loginHint, prompt, state));
            if (user is null)
            {
                error = StsErrors.ConsentDeclined();
                return null;
            }
        }
        else if (string.IsNullOrEmpty(loginHint))
        {
            error = StsErrors.LoginRequired();
            return null;
        }
        else
        {
            user = server.Directory.FindUser(loginHint);
        }

        if (user is null || !ReferenceEquals(user.Tenant, application.Tenant))
        {
            error = StsErrors.UserNotFound(user?.UserPrincipalName ?? loginHint ?? string.Empty, application.Tenant.Domain);
            return null;
        }

        if (!user.Enabled)
        {
            error = StsErrors.UserDisabled();
            return null;
        }

        return user;
    }
}
