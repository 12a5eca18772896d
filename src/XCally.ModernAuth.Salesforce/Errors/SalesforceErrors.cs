using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace XCally.ModernAuth.Salesforce.Internal;

/// <summary>
/// Turns Salesforce's answers into <see cref="ModernAuthException"/>s: the category and fix from <see cref="SalesforceErrorTable"/>,
/// Salesforce's own code and words in <see cref="ModernAuthException.ErrorCode"/> and <see cref="ModernAuthException.ServerResponse"/>.
/// Never a secret or session: Salesforce's error bodies carry neither.
/// </summary>
internal static class SalesforceErrors
{
    public static ModernAuthException FromTokenEndpoint(SalesforceProvider provider, HttpStatusCode status, string? error, string? description, TimeSpan? retryAfter)
    {
        var mapping = SalesforceErrorTable.Find(error, description) ?? ByStatus(status);
        var said = error is null ? $"HTTP {(int)status}" : description is null ? error : $"{error}: {description}";
        return new ModernAuthException(
            mapping.Category,
            $"Salesforce refused the {provider.Flow} sign-in of provider '{provider.Name}' at {provider.TokenEndpoint.GetLeftPart(UriPartial.Authority)} ({said}).",
            mapping.Advice)
        {
            ErrorCode = error ?? mapping.Code,
            ServerResponse = description,
            CloudProviderName = provider.Name,
            RetryAfter = retryAfter,
        };
    }

    public static ModernAuthException FromRest(SalesforceProvider provider, string operation, HttpStatusCode status, string? errorCode, string? message, IReadOnlyList<string>? fields, TimeSpan? retryAfter)
    {
        var mapping = SalesforceErrorTable.Find(errorCode, message) ?? ByStatus(status);
        var fieldText = fields is { Count: > 0 } ? $" (fields {string.Join(", ", fields)})" : string.Empty;
        var said = errorCode is null ? $"HTTP {(int)status}" : $"{errorCode}: {message}{fieldText}";
        return new ModernAuthException(
            mapping.Category,
            $"Salesforce refused {operation} for provider '{provider.Name}' ({said}).",
            mapping.Advice)
        {
            ErrorCode = errorCode ?? mapping.Code,
            ServerResponse = message,
            CloudProviderName = provider.Name,
            RetryAfter = retryAfter,
        };
    }

    public static ModernAuthException FromTransport(SalesforceProvider provider, string operation, Exception exception, bool timedOut)
    {
        var mapping = SalesforceErrorTable.Find(timedOut ? SalesforceErrorTable.Timeout : SalesforceErrorTable.Network, null)!;
        return new ModernAuthException(
            mapping.Category,
            $"{operation} for Salesforce provider '{provider.Name}' {(timedOut ? "timed out" : "could not reach Salesforce")} ({exception.GetType().Name}: {exception.Message}).",
            mapping.Advice,
            exception)
        {
            ErrorCode = mapping.Code,
            CloudProviderName = provider.Name,
        };
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider timeProvider) =>
        headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static SalesforceErrorMapping ByStatus(HttpStatusCode status)
    {
        var code = (int)status switch
        {
            429 => SalesforceErrorTable.Http429,
            >= 500 => SalesforceErrorTable.Http5xx,
            401 => "INVALID_SESSION_ID",
            403 => "INSUFFICIENT_ACCESS_OR_READONLY",
            404 => "NOT_FOUND",
            _ => null,
        };
        return (code is null ? null : SalesforceErrorTable.Find(code, null))
            ?? new SalesforceErrorMapping(((int)status).ToString(CultureInfo.InvariantCulture), null, ModernAuthErrorCategory.Unknown,
                "Salesforce answered with an error the SDK does not know; its response is in ServerResponse.");
    }
}
