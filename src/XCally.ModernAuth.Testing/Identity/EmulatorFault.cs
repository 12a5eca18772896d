using System.Net;
using XCally.ModernAuth.Testing.Identity.Internal;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// A failure the identity platform's token endpoint answers instead of a token, injected by a test with
/// <see cref="EmulatorIdentityServer.InjectFault"/>: an Entra error (AADSTS), throttling, an outage, or added latency.
/// </summary>
public sealed class EmulatorFault
{
    private EmulatorFault(string name, int? aadstsCode, HttpStatusCode? status, TimeSpan? retryAfter, TimeSpan? latency, bool retryAfterAsDate = false)
    {
        RetryAfterAsDate = retryAfterAsDate;
        Name = name;
        AadstsCode = aadstsCode;
        Status = status;
        RetryAfter = retryAfter;
        Latency = latency;
    }

    /// <summary>What the fault is, for test output.</summary>
    public string Name { get; }

    /// <summary>The AADSTS number in the error body, if any.</summary>
    public int? AadstsCode { get; }

    /// <summary>The HTTP status answered, or <see langword="null"/> for a latency fault (the request then proceeds normally).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The <c>Retry-After</c> header value, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether <c>Retry-After</c> is sent as an HTTP-date on the emulator's clock rather than as seconds.</summary>
    public bool RetryAfterAsDate { get; }

    /// <summary>The wall-clock delay before the request proceeds, for a latency fault.</summary>
    public TimeSpan? Latency { get; }

    /// <summary>
    /// An Entra error with Entra's JSON body and HTTP status, e.g. <c>Aadsts(7000222)</c> for an expired secret,
    /// <c>Aadsts(50076)</c> for MFA required, <c>Aadsts(53003)</c> for Conditional Access. Numbers the emulator does not know
    /// get a generic <c>invalid_request</c> text with that number.
    /// </summary>
    /// <param name="code">The AADSTS number.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Aadsts(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(code);
        var status = StsErrors.ForCode(code, string.Empty).Status;
        return new EmulatorFault($"AADSTS{code}", code, status, retryAfter: null, latency: null);
    }

    /// <summary>HTTP 429 with a <c>Retry-After</c> header, as the token service answers a client that calls too often.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> value (whole seconds).</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault TooManyRequests(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new EmulatorFault("HTTP 429", 50196, HttpStatusCode.TooManyRequests, retryAfter, latency: null);
    }

    /// <summary>
    /// HTTP 429 with <c>Retry-After</c> as an HTTP-date (the other form HTTP allows), taken on the emulator's clock: with a
    /// fake clock, the wait is in the fake time the SDK is tested on.
    /// </summary>
    /// <param name="retryAfter">How long after the answer the date lies (rounded up to whole seconds).</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault TooManyRequestsUntil(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new EmulatorFault("HTTP 429 (Retry-After date)", 50196, HttpStatusCode.TooManyRequests, retryAfter, latency: null, retryAfterAsDate: true);
    }

    /// <summary>
    /// HTTP 503, an outage. Without <paramref name="retryAfter"/> MSAL retries the request once after a second; with it, MSAL
    /// does not retry and throttles identical requests for that long.
    /// </summary>
    /// <param name="retryAfter">An optional <c>Retry-After</c> value (whole seconds).</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault ServiceUnavailable(TimeSpan? retryAfter = null) =>
        new("HTTP 503", 90033, HttpStatusCode.ServiceUnavailable, retryAfter, latency: null);

    /// <summary>A wall-clock delay before the request is handled normally, to exercise client timeouts.</summary>
    /// <param name="delay">The delay.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new EmulatorFault($"latency {delay}", aadstsCode: null, status: null, retryAfter: null, delay);
    }

    /// <summary>The error body to answer, or <see langword="null"/> for a latency fault.</summary>
    internal StsError? ToError(string clientId) => AadstsCode is { } code && Status is { } status
        ? StsErrors.ForCode(code, clientId) with { Status = status }
        : null;

    /// <inheritdoc />
    public override string ToString() => Name;
}
