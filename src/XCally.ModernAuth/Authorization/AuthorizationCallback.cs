using System.Globalization;
using System.Text.RegularExpressions;

namespace XCally.ModernAuth;

/// <summary>
/// What the identity platform sent to the redirect URI at the end of a sign-in started with
/// <see cref="IModernAuthAuthorization.BeginAsync"/>: a <c>code</c> and the <c>state</c>, or an <c>error</c> with its
/// <c>error_description</c> (the user cancelled, consent was refused, <c>AADSTS65001</c>), and the identifiers Microsoft support
/// asks for. Pass it to <see cref="IModernAuthAuthorization.CompleteAsync(AuthorizationCallback, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// A callback is only what its URL says, and anyone can craft one: it is trusted only through its single-use <c>state</c>.
/// <see cref="ToString"/> never shows the code.
/// </remarks>
public sealed partial class AuthorizationCallback
{
    private string? _errorCode;
    private string? _traceId;
    private string? _correlationId;

    /// <summary>Creates a callback from its parameters.</summary>
    /// <param name="code">The <c>code</c> parameter, if any.</param>
    /// <param name="state">The <c>state</c> parameter, if any.</param>
    /// <param name="error">The <c>error</c> parameter (e.g. <c>access_denied</c>, <c>consent_required</c>), if any.</param>
    /// <param name="errorDescription">The <c>error_description</c> parameter, if any.</param>
    public AuthorizationCallback(string? code, string? state, string? error = null, string? errorDescription = null)
    {
        Code = Blank(code);
        State = Blank(state);
        Error = Blank(error);
        ErrorDescription = Blank(errorDescription);
    }

    /// <summary>The authorization code, or <see langword="null"/> when the sign-in did not succeed.</summary>
    public string? Code { get; }

    /// <summary>The <c>state</c> the sign-in was started with.</summary>
    public string? State { get; }

    /// <summary>The OAuth 2.0 error (<c>access_denied</c>, <c>consent_required</c>, <c>invalid_request</c>...), or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>The identity platform's description of the error, as sent (it starts with the <c>AADSTS</c> code).</summary>
    public string? ErrorDescription { get; }

    /// <summary>The <c>error_subcode</c>: Microsoft Entra ID sends <c>cancel</c> when the user cancelled the sign-in.</summary>
    public string? ErrorSubcode { get; init; }

    /// <summary>The identity platform's error code: the first of <c>error_codes</c>, or the <c>AADSTS</c> code the description starts with.</summary>
    public string? ErrorCode => _errorCode ?? FromDescription(AadstsPattern());

    /// <summary>Entra's trace id (<c>trace_id</c>, or the description's <c>Trace ID:</c> line), for a support request.</summary>
    public string? TraceId
    {
        get => _traceId ?? FromDescription(TraceIdPattern());
        init => _traceId = Blank(value);
    }

    /// <summary>Entra's correlation id (<c>correlation_id</c>, or the description's <c>Correlation ID:</c> line), for a support request.</summary>
    public string? CorrelationId
    {
        get => _correlationId ?? FromDescription(CorrelationIdPattern());
        init => _correlationId = Blank(value);
    }

    /// <summary>Whether the identity platform answered with an error instead of a code.</summary>
    public bool IsError => Error is not null;

    /// <summary>Whether the user cancelled the sign-in (<c>error_subcode=cancel</c>).</summary>
    public bool IsCancelled => string.Equals(ErrorSubcode, "cancel", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a callback from the redirect URI's query string (<c>?code=...&amp;state=...</c> or <c>?error=...</c>), with or without
    /// the leading <c>?</c>; a whole URL is accepted too. Unknown parameters are ignored.
    /// </summary>
    /// <param name="query">The query string, as received (percent-encoded).</param>
    /// <returns>The callback.</returns>
    public static AuthorizationCallback Parse(string? query)
    {
        var text = query ?? string.Empty;
        var start = text.IndexOf('?', StringComparison.Ordinal);
        if (start >= 0)
        {
            text = text[(start + 1)..];
        }

        var fragment = text.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            text = text[..fragment];
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(separator < 0 ? pair : pair[..separator]);
            var value = separator < 0 ? string.Empty : Decode(pair[(separator + 1)..]);
            values.TryAdd(name, value);
        }

        var errorCodes = values.GetValueOrDefault("error_codes");
        return new AuthorizationCallback(
            values.GetValueOrDefault("code"),
            values.GetValueOrDefault("state"),
            values.GetValueOrDefault("error"),
            values.GetValueOrDefault("error_description"))
        {
            ErrorSubcode = Blank(values.GetValueOrDefault("error_subcode")),
            TraceId = values.GetValueOrDefault("trace_id"),
            CorrelationId = values.GetValueOrDefault("correlation_id"),
            _errorCode = FirstErrorCode(errorCodes),
        };
    }

    /// <inheritdoc />
    public override string ToString() => IsError
        ? $"Sign-in callback with error {Error}{(ErrorCode is null ? string.Empty : " (" + ErrorCode + ")")}"
        : $"Sign-in callback with {(Code is null ? "no code" : "a code")}";

    private string? FromDescription(Regex pattern) =>
        ErrorDescription is { } description && pattern.Match(description) is { Success: true } match
            ? match.Groups[match.Groups.Count > 1 ? 1 : 0].Value
            : null;

    // Entra sends error_codes as "[65001]" in JSON bodies and as "65001" on redirects.
    private static string? FirstErrorCode(string? errorCodes)
    {
        var first = errorCodes?.Trim('[', ']', ' ').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is not null && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? "AADSTS" + code.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    [GeneratedRegex(@"\bAADSTS\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsPattern();

    [GeneratedRegex(@"Trace ID:\s*([0-9A-Fa-f\-]{8,64})", RegexOptions.CultureInvariant)]
    private static partial Regex TraceIdPattern();

    [GeneratedRegex(@"Correlation ID:\s*([0-9A-Fa-f\-]{8,64})", RegexOptions.CultureInvariant)]
    private static partial Regex CorrelationIdPattern();
}
