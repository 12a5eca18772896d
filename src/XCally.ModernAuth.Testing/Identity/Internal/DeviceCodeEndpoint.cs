using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// <c>POST /{tenant}/oauth2/v2.0/devicecode</c>: starts a device code sign-in. The test approves or declines it with
/// <see cref="EmulatorIdentityServer.ApproveDeviceCode"/> / <see cref="EmulatorIdentityServer.DeclineDeviceCode"/>.
/// </summary>
internal sealed class DeviceCodeEndpoint(EmulatorIdentityServer server)
{
    public async Task HandleAsync(HttpContext context)
    {
        server.Counters.CountDeviceCodeRequest();
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;
        var error = Start(context, form, out var body);
        if (error is not null)
        {
            await HttpResponses.WriteErrorAsync(context, server, error).ConfigureAwait(false);
            return;
        }

        await HttpResponses.WriteJsonAsync(context, body!).ConfigureAwait(false);
    }

    private StsError? Start(HttpContext context, IFormCollection form, out JsonObject? body)
    {
        body = null;
        var (tenant, isAlias) = HttpResponses.ResolveTenant(server, context);
        if (tenant is null && !isAlias)
        {
            return StsErrors.TenantNotFound(HttpResponses.TenantSegment(context));
        }

        var clientId = form["client_id"].FirstOrDefault();
        if (!ClientLookup.TryFind(server, context, tenant, isAlias, clientId, out var application, out var error))
        {
            return error;
        }

        var scope = form["scope"].FirstOrDefault() ?? string.Empty;
        var (_, _, scopeError) = ScopeRequest.Parse(scope).ForDelegated(application);
        if (scopeError is not null)
        {
            return scopeError;
        }

        var lifetime = server.Options.DeviceCodeLifetime;
        var (deviceCode, userCode) = server.Grants.AddDeviceCode(new DeviceCodeGrant(application, scope, server.TimeProvider.GetUtcNow() + lifetime));
        var verificationUri = $"{server.BaseAddress}devicelogin";
        body = new JsonObject
        {
            ["user_code"] = userCode,
            ["device_code"] = deviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["interval"] = Math.Max(1L, (long)server.Options.DeviceCodePollingInterval.TotalSeconds),
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate.",
        };
        return null;
    }
}
