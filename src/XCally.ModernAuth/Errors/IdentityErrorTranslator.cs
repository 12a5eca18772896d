using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;
using XCally.ModernAuth.Diagnostics;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Turns what MSAL and the HTTP stack throw into a <see cref="ModernAuthException"/> that names the cause and the fix, using
/// <see cref="IdentityErrorTable"/>. MSAL's exceptions are never attached or quoted whole: their text and
/// <c>ToString()</c> may echo request data. Only the description of the AADSTS line is kept, scrubbed of anything token- or
/// secret-like.
/// </summary>
internal static partial class IdentityErrorTranslator
{
    // What follows the description proper: Entra's trace line, MSAL's note after a managed identity endpoint's correlation id.
    private static readonly string[] Trailers = [" Trace ID:", " Managed Identity Correlation ID:"];

    public static ModernAuthException Translate(Exception exception, CloudProvider provider, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(timeProvider);

        return exception switch
        {
            ModernAuthException known => known,
            MsalServiceException service => FromService(service, provider, timeProvider),
            MsalClientException client => FromClient(client, provider),
            HttpRequestException or SocketException when TlsFailure.Find(exception) is { } tls => FromTls(tls, exception, provider),
            HttpRequestException or SocketException => FromTransport(IdentityErrorTable.Network, exception, provider),
            TimeoutException or OperationCanceledException => FromTransport(IdentityErrorTable.Timeout, exception, provider),
            _ => new ModernAuthException(
                ModernAuthErrorCategory.Unknown,
                $"{Subject(provider)} failed with {exception.GetType().Name}.",
                "See the inner exception; if it came from a client assertion callback, fix the callback.",
                exception)
            {
                CloudProviderName = provider.Name,
            },
        };
    }

    private static ModernAuthException FromService(MsalServiceException exception, CloudProvider provider, TimeProvider timeProvider)
    {
        var body = IdentityErrorResponse.TryParse(exception.ResponseBody);
        var description = body?.Description ?? exception.Message;
        var aadsts = body?.FirstErrorCode is { } code
            ? "AADSTS" + code.ToString(CultureInfo.InvariantCulture)
            : AadstsPattern().Match(description) is { Success: true } match ? match.Value : null;
        var error = body?.Error ?? exception.ErrorCode;

        var mapping = IdentityErrorTable.Find(aadsts)
            ?? (exception.StatusCode == 429 ? IdentityErrorTable.Find(IdentityErrorTable.Http429) : null)
            ?? (exception.StatusCode is >= 500 and < 600 || exception.ErrorCode == MsalError.ServiceNotAvailable
                ? IdentityErrorTable.Find(IdentityErrorTable.Http5xx)
                : null)
            ?? (exception.ErrorCode == MsalError.RequestTimeout ? IdentityErrorTable.Find(IdentityErrorTable.Timeout) : null)
            ?? IdentityErrorTable.Find(error);

        var summary = exception.StatusCode > 0
            ? $"{Subject(provider)} was refused with HTTP {exception.StatusCode.ToString(CultureInfo.InvariantCulture)}"
            : $"{Subject(provider)} failed";
        var detail = Describe(description, provider);
        var message = detail.Length > 0 ? $"{summary}: {detail}" : $"{summary} ({error}).";

        return new ModernAuthException(mapping?.Category ?? ModernAuthErrorCategory.Unknown, message, mapping?.Advice, SafeInner(exception))
        {
            ErrorCode = aadsts ?? (ReferenceEquals(mapping?.Code, IdentityErrorTable.Timeout) ? IdentityErrorTable.Timeout : error),
            CloudProviderName = provider.Name,
            CorrelationId = body?.CorrelationId ?? exception.CorrelationId,
            RetryAfter = RetryAfter(exception, timeProvider),
        };
    }

    private static ModernAuthException FromClient(MsalClientException exception, CloudProvider provider) =>
        new(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"{Subject(provider)} could not be sent: MSAL refused the configuration ({exception.ErrorCode}): {Describe(exception.Message, provider)}",
            "Check the provider's TenantId, ClientId, AuthorityHost and credential.",
            SafeInner(exception))
        {
            ErrorCode = exception.ErrorCode,
            CloudProviderName = provider.Name,
            CorrelationId = exception.CorrelationId,
        };

    private static ModernAuthException FromTransport(string code, Exception exception, CloudProvider provider)
    {
        var mapping = IdentityErrorTable.Find(code)!;
        var what = code == IdentityErrorTable.Timeout ? "timed out" : "could not reach the sign-in host";
        return new ModernAuthException(mapping.Category, $"{Subject(provider)} {what}.", mapping.Advice, exception)
        {
            ErrorCode = code,
            CloudProviderName = provider.Name,
        };
    }

    /// <summary>The acquisition did not complete within the SDK's bound (<see cref="TokenProviderOptions.IdentityRequestTimeout"/>).</summary>
    public static ModernAuthException TimedOut(CloudProvider provider, TimeSpan timeout, Exception exception)
    {
        var mapping = IdentityErrorTable.Find(IdentityErrorTable.Timeout)!;
        return new ModernAuthException(
            mapping.Category,
            $"{Subject(provider)} did not complete within {timeout.TotalSeconds:0.#} s (TokenProviderOptions.IdentityRequestTimeout).",
            mapping.Advice,
            exception)
        {
            ErrorCode = IdentityErrorTable.Timeout,
            CloudProviderName = provider.Name,
        };
    }

    private static ModernAuthException FromTls(TlsFailure failure, Exception exception, CloudProvider provider)
    {
        var mapping = IdentityErrorTable.Find(IdentityErrorTable.Tls)!;
        return new ModernAuthException(
            mapping.Category,
            $"{Subject(provider)} could not be sent: the TLS connection to the sign-in host failed ({failure.Description}).",
            $"{failure.Advice} {mapping.Advice}",
            exception)
        {
            ErrorCode = IdentityErrorTable.Tls,
            CloudProviderName = provider.Name,
        };
    }

    private static string Subject(CloudProvider provider) => provider.Credential is ManagedIdentityCredential managed
        ? $"The token request of cloud provider '{provider.Name}' to its {managed.Description} (tenant {provider.TenantId}, client {provider.ClientId})"
        : $"The token request of cloud provider '{provider.Name}' to {provider.AuthorityHost.GetLeftPart(UriPartial.Authority)} (tenant {provider.TenantId}, client {provider.ClientId})";

    // Keeps the first line of an Entra description ("AADSTS7000215: Invalid client secret provided. ..."), without the
    // trace/correlation/timestamp trailer, scrubbed of tokens and of the provider's secret.
    private static string Describe(string? description, CloudProvider provider)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return string.Empty;
        }

        var text = description.AsSpan().Trim();
        var end = text.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            text = text[..end];
        }

        foreach (var trailer in Trailers)
        {
            var at = text.IndexOf(trailer, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
            }
        }

        var secret = (provider.Credential as ClientSecretCredential)?.Secret;
        return SensitiveText.Scrub(text.Trim().ToString(), secret);
    }

    // Transport failures carry no request data; MSAL's own exceptions may, so they are never attached.
    private static Exception? SafeInner(MsalException exception) =>
        exception.InnerException is HttpRequestException or SocketException or TimeoutException or OperationCanceledException
            ? exception.InnerException
            : null;

    private static TimeSpan? RetryAfter(MsalServiceException exception, TimeProvider timeProvider)
    {
        var header = exception.Headers?.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    [GeneratedRegex(@"AADSTS\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsPattern();
}
