using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// <c>GET /{tenant}/oauth2/v2.0/authorize</c>: signs a user in without a browser (the <c>login_hint</c> user, or whoever
/// <see cref="EmulatorIdentityServer.SignIn"/> picks) and redirects to the redirect URI with a code. With
/// <see cref="EmulatorIdentityServerOptions.InteractiveSignIn"/> it shows a sign-in page instead, whose form
/// (<c>POST</c> to the same path) signs the named user in or cancels, as a person at Entra's page would. Like Entra ID, a request
/// whose client or redirect URI cannot be trusted gets an error page (400 with the error body) instead of a redirect, and an
/// error redirect carries <c>error</c>, <c>error_description</c> (with its trace and correlation ids) and <c>error_codes</c>.
/// </summary>
internal sealed class AuthorizeEndpoint(EmulatorIdentityServer server)
{
    public Task HandleAsync(HttpContext context)
    {
        server.Counters.CountAuthorizeRequest();
        var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.FirstOrDefault(), StringComparer.Ordinal);
        if (!TryResolve(context, query, out var application, out var redirectUri, out var pageError))
        {
            return pageError;
        }

        var state = query.GetValueOrDefault("state");
        if (server.Options.InteractiveSignIn && server.SignIn is null && query.GetValueOrDefault("prompt") != "none")
        {
            // Whatever does not depend on who signs in is refused before the page, as Entra does.
            var requestError = CheckRequest(application, query);
            return requestError is null
                ? SignInPage.WriteAsync(context, application, query)
                : Redirect(context, redirectUri, state, requestError, subcode: null, code: null);
        }

        var error = Authorize(application, redirectUri, query, query.GetValueOrDefault("login_hint"), out var code);
        return Redirect(context, redirectUri, state, error, subcode: null, code);
    }

    /// <summary><c>POST</c> from the sign-in page: the person's answer, with the original request's parameters.</summary>
    public async Task HandlePostAsync(HttpContext context)
    {
        server.Counters.CountAuthorizeRequest();
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var parameters = form.ToDictionary(pair => pair.Key, pair => pair.Value.FirstOrDefault(), StringComparer.Ordinal);
        if (!TryResolve(context, parameters, out var application, out var redirectUri, out var pageError))
        {
            await pageError.ConfigureAwait(false);
            return;
        }

        var state = parameters.GetValueOrDefault("state");
        if (parameters.GetValueOrDefault(SignInPage.ActionField) != SignInPage.AcceptAction)
        {
            await Redirect(context, redirectUri, state, StsErrors.ConsentDeclined(), subcode: "cancel", code: null).ConfigureAwait(false);
            return;
        }

        var error = Authorize(application, redirectUri, parameters, parameters.GetValueOrDefault(SignInPage.LoginField)?.Trim(), out var code);
        await Redirect(context, redirectUri, state, error, subcode: null, code).ConfigureAwait(false);
    }

    private bool TryResolve(
        HttpContext context,
        Dictionary<string, string?> parameters,
        out EmulatorApplication application,
        out string redirectUri,
        out Task pageError)
    {
        application = null!;
        redirectUri = string.Empty;
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        if (tenant is null && !isAlias)
        {
            pageError = HttpResponses.WriteErrorAsync(context, server, StsErrors.TenantNotFound(HttpResponses.TenantSegment(context)));
            return false;
        }

        var clientId = parameters.GetValueOrDefault("client_id");
        if (!ClientLookup.TryFind(server, context, tenant, isAlias, clientId, out var found, out var clientError))
        {
            pageError = HttpResponses.WriteErrorAsync(context, server, clientError);
            return false;
        }

        application = found;

        redirectUri = parameters.GetValueOrDefault("redirect_uri") ?? string.Empty;
        if (!application.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            // Never redirect to an unregistered URI: that would make the endpoint an open redirector.
            pageError = HttpResponses.WriteErrorAsync(context, server, StsErrors.RedirectUriMismatch(redirectUri, clientId));
            return false;
        }

        pageError = Task.CompletedTask;
        return true;
    }

    private Task Redirect(HttpContext context, string redirectUri, string? state, StsError? error, string? subcode, string? code)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (error is null)
        {
            parameters["code"] = code;
        }
        else
        {
            var correlationId = context.Request.Query["client-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
            parameters["error"] = error.Error;
            if (subcode is not null)
            {
                parameters["error_subcode"] = subcode;
            }

            parameters["error_description"] = error.FullDescription(Guid.NewGuid().ToString(), correlationId, server.TimeProvider.GetUtcNow());
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

    private static StsError? CheckRequest(EmulatorApplication application, Dictionary<string, string?> query)
    {
        var responseType = query.GetValueOrDefault("response_type") ?? string.Empty;
        if (responseType != "code")
        {
            return StsErrors.UnsupportedResponseType(responseType);
        }

        var (_, scopeError) = ScopeRequest.Parse(query.GetValueOrDefault("scope") ?? string.Empty).ForConsent(application);
        if (scopeError is not null)
        {
            return scopeError.Code == 65001 ? scopeError with { Error = "consent_required" } : scopeError;
        }

        var challenge = query.GetValueOrDefault("code_challenge");
        var method = query.GetValueOrDefault("code_challenge_method") ?? (challenge is null ? null : "plain");
        return challenge is not null && method is not ("S256" or "plain")
            ? new StsError("invalid_request", 501471, $"Invalid code_challenge_method '{method}'; use 'S256'.", System.Net.HttpStatusCode.BadRequest)
            : null;
    }

    private StsError? Authorize(EmulatorApplication application, string redirectUri, Dictionary<string, string?> query, string? loginHint, out string? code)
    {
        code = null;
        var requestError = CheckRequest(application, query);
        if (requestError is not null)
        {
            return requestError;
        }

        var scope = query.GetValueOrDefault("scope") ?? string.Empty;
        var scopes = ScopeRequest.Parse(scope);
        var (consented, _) = scopes.ForConsent(application);
        var challenge = query.GetValueOrDefault("code_challenge");
        var method = query.GetValueOrDefault("code_challenge_method") ?? (challenge is null ? null : "plain");
        var user = SelectUser(application, redirectUri, scopes, loginHint, query.GetValueOrDefault("prompt"), query.GetValueOrDefault("state"), out var userError);
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
            query.GetValueOrDefault("nonce"),
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
