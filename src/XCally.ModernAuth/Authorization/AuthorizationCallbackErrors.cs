using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Turns a sign-in callback that carried an <c>error</c> into a <see cref="ModernAuthException"/> in an administrator's words:
/// who cancelled or was refused, the identity platform's own description (first line, scrubbed), the fix, and the ids Microsoft
/// support asks for. The description comes from a URL anyone can craft, so it is shortened and never trusted beyond display.
/// </summary>
internal static class AuthorizationCallbackErrors
{
    private const int MaxDescriptionLength = 300;

    private const string DelegatedConsentAdvice =
        "The app's delegated permissions have not been consented. Under the app registration's API permissions add Office 365 Exchange Online's delegated IMAP.AccessAsUser.All, POP.AccessAsUser.All and SMTP.Send, select 'Grant admin consent' (or sign in as a user allowed to consent), then start the sign-in again.";

    public static ModernAuthException Refusal(AuthorizationCallback callback, AuthorizationState pending)
    {
        var code = callback.ErrorCode;
        var mapping = IdentityErrorTable.Find(code) ?? IdentityErrorTable.Find(callback.Error);
        var who = $"The sign-in of '{pending.AccountAddress}' (cloud provider '{pending.CloudProviderName}')";
        string summary;
        string advice;
        ModernAuthErrorCategory category;
        if (callback.IsCancelled)
        {
            summary = $"{who} was cancelled at the sign-in page: {Describe(callback)}.";
            category = ModernAuthErrorCategory.ConsentRequired;
            advice = $"Start the sign-in again and complete it as '{pending.UserName}', accepting the permissions asked for.";
        }
        else if (code is "AADSTS65001" || (code is null && callback.Error is "consent_required"))
        {
            summary = $"{who} was refused because consent is missing: {Describe(callback)}.";
            category = ModernAuthErrorCategory.ConsentRequired;
            advice = DelegatedConsentAdvice;
        }
        else if (mapping is null && callback.Error is "access_denied")
        {
            summary = $"{who} was declined: {Describe(callback)}.";
            category = ModernAuthErrorCategory.ConsentRequired;
            advice = $"Sign in again as '{pending.UserName}' and accept the permissions, or have an administrator grant admin consent under API permissions.";
        }
        else
        {
            summary = $"{who} was refused by the identity platform: {Describe(callback)}.";
            category = mapping?.Category ?? ModernAuthErrorCategory.Unknown;
            advice = mapping?.Advice ?? "Start the sign-in again; if it fails the same way, look the error code up at https://login.microsoftonline.com/error.";
        }

        return new ModernAuthException(category, summary + SupportIds(callback), advice)
        {
            ErrorCode = code ?? callback.Error,
            CloudProviderName = pending.CloudProviderName,
            AccountAddress = pending.AccountAddress,
            CorrelationId = callback.CorrelationId,
        };
    }

    /// <summary>The error and the first line of its description, without the trace/correlation/timestamp trailer.</summary>
    public static string Describe(AuthorizationCallback callback)
    {
        var description = callback.ErrorDescription ?? string.Empty;
        var end = description.IndexOfAny(['\r', '\n']);
        if (end >= 0)
        {
            description = description[..end];
        }

        var trace = description.IndexOf(" Trace ID:", StringComparison.Ordinal);
        if (trace >= 0)
        {
            description = description[..trace];
        }

        description = SensitiveText.Scrub(description.Trim());
        if (description.Length > MaxDescriptionLength)
        {
            description = description[..MaxDescriptionLength] + "…";
        }

        return description.Length == 0 ? callback.Error ?? "an error" : $"{callback.Error} ({description.TrimEnd('.')})";
    }

    private static string SupportIds(AuthorizationCallback callback) =>
        (callback.TraceId, callback.CorrelationId) switch
        {
            (null, null) => string.Empty,
            ({ } trace, null) => $" Trace ID {trace}.",
            (null, { } correlation) => $" Correlation ID {correlation}.",
            ({ } trace, { } correlation) => $" Trace ID {trace}, correlation ID {correlation}.",
        };
}
