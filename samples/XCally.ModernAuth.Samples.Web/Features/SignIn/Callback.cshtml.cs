using Microsoft.AspNetCore.Mvc.RazorPages;

namespace XCally.ModernAuth.Samples.Web.Features.SignIn;

/// <summary>
/// The redirect URI of delegated sign-ins: hands the whole callback to <see cref="IModernAuthAuthorization.CompleteAsync(AuthorizationCallback, CancellationToken)"/>
/// and says what happened: who signed in, or, in words, a cancelled sign-in, missing consent, the wrong user, an expired or replayed
/// sign-in, with the ids for a support request. Only a signed-in administrator reaches it (the cookie is SameSite=Lax, so the
/// identity platform's redirect carries it).
/// </summary>
public sealed class CallbackModel(IModernAuthAuthorization authorization) : PageModel
{
    public const string Route = "/signin-xcally";

    public AuthorizationCallback? Callback { get; private set; }

    public DelegatedAuthorizationResult? Result { get; private set; }

    public ModernAuthException? Failure { get; private set; }

    public string Heading => Result is not null
        ? "Signed in"
        : Failure switch
        {
            { Category: ModernAuthErrorCategory.WrongUserSignedIn } => "Refused: another user signed in",
            { Category: ModernAuthErrorCategory.InvalidAuthorizationState } => "This sign-in cannot be completed",
            not null when Callback?.IsCancelled == true => "The sign-in was cancelled",
            { Category: ModernAuthErrorCategory.ConsentRequired } => "The sign-in was refused: consent is missing",
            not null => "The sign-in failed",
            _ => "Sign-in",
        };

    /// <summary>The failure's message without its advice, which the page shows apart.</summary>
    public string FailureSummary => Failure is { Advice: { Length: > 0 } advice } failure && failure.Message.EndsWith(advice, StringComparison.Ordinal)
        ? failure.Message[..^advice.Length].TrimEnd()
        : Failure?.Message ?? string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Callback = AuthorizationCallback.Parse(Request.QueryString.Value);
        try
        {
            Result = await authorization.CompleteAsync(Callback, cancellationToken);
        }
        catch (ModernAuthException exception)
        {
            Failure = exception;
            Response.StatusCode = exception.Category == ModernAuthErrorCategory.InvalidAuthorizationState ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        }
    }
}
