using System.Net;

namespace XCally.ModernAuth.Testing;

/// <summary>A fault the emulator's Microsoft Graph answers a request with instead of serving it (see <see cref="EmulatorGraph.InjectFault"/>).</summary>
public sealed class EmulatorGraphFault
{
    private EmulatorGraphFault(HttpStatusCode status, string code, string message, TimeSpan? retryAfter)
    {
        Status = status;
        Code = code;
        Message = message;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>Graph's error code.</summary>
    public string Code { get; }

    /// <summary>Graph's error message.</summary>
    public string Message { get; }

    /// <summary>The <c>Retry-After</c> header, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>HTTP 429 as Exchange's throttling answers it (<c>ApplicationThrottled</c>), with <c>Retry-After</c>.</summary>
    /// <param name="retryAfter">The wait asked for.</param>
    /// <returns>The fault.</returns>
    public static EmulatorGraphFault TooManyRequests(TimeSpan retryAfter) =>
        new((HttpStatusCode)429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", retryAfter);

    /// <summary>HTTP 503 (<c>ServiceUnavailable</c>), with <c>Retry-After</c>.</summary>
    /// <param name="retryAfter">The wait asked for.</param>
    /// <returns>The fault.</returns>
    public static EmulatorGraphFault ServiceUnavailable(TimeSpan retryAfter) =>
        new(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", retryAfter);

    /// <summary>Any Graph error.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The error code, e.g. <c>ErrorAccessDenied</c>.</param>
    /// <param name="message">The error message.</param>
    /// <returns>The fault.</returns>
    public static EmulatorGraphFault Error(HttpStatusCode status, string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        return new(status, code, message, null);
    }

    /// <inheritdoc />
    public override string ToString() => $"{(int)Status} {Code}";
}
