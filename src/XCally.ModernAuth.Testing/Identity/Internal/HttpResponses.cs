using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>Writes the identity platform's JSON answers.</summary>
internal static class HttpResponses
{
    public static Task WriteJsonAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, EmulatorIdentityServer server, StsError error, TimeSpan? retryAfter = null, bool retryAfterAsDate = false)
    {
        var correlationId = context.Request.Headers["client-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        context.Response.Headers["client-request-id"] = correlationId;
        if (retryAfter is { } delay)
        {
            var seconds = (long)Math.Ceiling(delay.TotalSeconds);
            context.Response.Headers.RetryAfter = retryAfterAsDate
                ? WholeSecond(server.TimeProvider.GetUtcNow()).AddSeconds(seconds + 1).ToString("R", CultureInfo.InvariantCulture)
                : seconds.ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, error.ToJson(server.BaseAddress, server.TimeProvider.GetUtcNow(), correlationId), (int)error.Status);
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    /// <summary>The tenant a path's <c>{tenant}</c> names: a registered tenant, a multi-tenant alias, or neither.</summary>
    public static (EmulatorTenant? Tenant, bool IsAlias) ResolveTenant(EmulatorIdentityServer server, HttpContext context)
    {
        var segment = (string?)context.Request.RouteValues["tenant"] ?? string.Empty;
        if (segment is "common" or "organizations" or "consumers")
        {
            return (null, true);
        }

        return (server.Directory.FindTenant(segment), false);
    }

    public static string TenantSegment(HttpContext context) => (string?)context.Request.RouteValues["tenant"] ?? string.Empty;
}
