using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using XCally.ModernAuth.Graph;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves Microsoft Graph's change notifications in an ASP.NET Core host.</summary>
public static class GraphNotificationEndpoints
{
    /// <summary>
    /// Maps <c>POST {pattern}</c> (notifications) and <c>POST {pattern}/lifecycle</c> (lifecycle events): each answers Graph's
    /// validation request by echoing <c>validationToken</c> as text/plain, checks every notification's <c>clientState</c>, answers
    /// 202 at once and hands the notifications to <see cref="GraphSubscriptions"/>. Graph calls these without a user: they
    /// accept only notifications of subscriptions this host made.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path, matching <see cref="GraphNotificationOptions.NotificationUrl"/>. Default <c>/graph/notifications</c>.</param>
    /// <returns>The route group, for conventions (rate limiting, host filters).</returns>
    public static IEndpointConventionBuilder MapGraphNotifications(this IEndpointRouteBuilder endpoints, string pattern = "/graph/notifications")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var group = endpoints.MapGroup(pattern);
        group.MapPost("/", HandleAsync);
        group.MapPost("/lifecycle", HandleAsync);
        return group;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Query["validationToken"].FirstOrDefault() is { } token)
        {
            // Plain text only, as Graph asks: the token is echoed, never rendered as HTML.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(token, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using (body)
        {
            context.RequestServices.GetRequiredService<GraphSubscriptions>().Accept(body);
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
