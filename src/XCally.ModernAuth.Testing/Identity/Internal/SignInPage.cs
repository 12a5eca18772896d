using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>
/// The emulator's sign-in page (<see cref="EmulatorIdentityServerOptions.InteractiveSignIn"/>): the user name, the permissions the
/// application asks for, and the two answers a person gives at Entra's page, accept or cancel. Plain HTML without script; the
/// original request's parameters go back in hidden fields. There is no password: the emulator signs in whoever is named.
/// </summary>
internal static class SignInPage
{
    public const string LoginField = "login";
    public const string ActionField = "action";
    public const string AcceptAction = "accept";
    public const string CancelAction = "cancel";

    // The parameters of the original request the page carries back to the POST.
    private static readonly string[] Carried =
        ["client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "code_challenge", "code_challenge_method", "nonce", "prompt", "login_hint", "client-request-id"];

    public static Task WriteAsync(HttpContext context, EmulatorApplication application, IReadOnlyDictionary<string, string?> query)
    {
        var html = new StringBuilder();
        var scopes = (query.GetValueOrDefault("scope") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(scope => scope.Contains('/', StringComparison.Ordinal));
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in - Office 365 emulator</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<style>body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}")
            .Append("h1{font-size:1.4rem;font-weight:600}label{display:block;margin:1rem 0 .3rem}input[type=text]{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}")
            .Append("ul{padding-left:1.2rem}.buttons{display:flex;gap:.6rem;justify-content:flex-end;margin-top:1.5rem}button{padding:.45rem 1.3rem;font-size:1rem}")
            .Append("#accept{background:#0067b8;color:#fff;border:0}.note{color:#555;font-size:.85rem}</style></head><body><main>")
            .Append("<p class=\"note\">XCally.ModernAuth Office 365 emulator (no real sign-in)</p>")
            .Append("<h1>Sign in</h1>")
            .Append("<p><strong>").Append(Encode(application.DisplayName)).Append("</strong> (").Append(Encode(application.Tenant.Domain)).Append(") asks to:</p><ul id=\"permissions\">");
        foreach (var scope in scopes)
        {
            html.Append("<li>").Append(Encode(scope)).Append("</li>");
        }

        html.Append("</ul><form method=\"post\" action=\"").Append(Encode(context.Request.Path)).Append("\">");
        foreach (var name in Carried)
        {
            if (query.GetValueOrDefault(name) is { } value)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">");
            }
        }

        html.Append("<label for=\"login\">User name</label>")
            .Append("<input type=\"text\" id=\"login\" name=\"").Append(LoginField).Append("\" autocomplete=\"username\" value=\"").Append(Encode(query.GetValueOrDefault("login_hint") ?? string.Empty)).Append("\">")
            .Append("<div class=\"buttons\">")
            .Append("<button type=\"submit\" id=\"cancel\" name=\"").Append(ActionField).Append("\" value=\"").Append(CancelAction).Append("\">Cancel</button>")
            .Append("<button type=\"submit\" id=\"accept\" name=\"").Append(ActionField).Append("\" value=\"").Append(AcceptAction).Append("\">Sign in and accept</button>")
            .Append("</div></form></main></body></html>");

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
