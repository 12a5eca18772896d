using System.Globalization;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>Turns Graph SDK failures into <see cref="ModernAuthException"/>s with a category, Graph's own words and the fix.</summary>
internal static class GraphErrors
{
    public static ModernAuthException Translate(Exception exception, EmailAccount account, string operation, string clientId)
    {
        var (status, code, message, retryAfter) = exception switch
        {
            ODataError odata => (odata.ResponseStatusCode, odata.Error?.Code, odata.Error?.Message ?? odata.Message, RetryAfter(odata)),
            ApiException api => (api.ResponseStatusCode, null, api.Message, RetryAfter(api)),
            HttpRequestException http => ((int?)http.StatusCode ?? 0, null, http.Message, (TimeSpan?)null),
            _ => (0, null, exception.Message, (TimeSpan?)null),
        };

        if (status == 0)
        {
            return new ModernAuthException(
                ModernAuthErrorCategory.Transient,
                $"Microsoft Graph could not be reached to {operation} for '{account.Address}': {message}",
                "Check the network path to Graph (proxy, firewall, DNS); the request can be retried.",
                exception)
            {
                AccountAddress = account.Address,
                CloudProviderName = account.CloudProviderName,
            };
        }

        var row = GraphErrorTable.Find(status, code, message);
        var advice = (row?.Advice ?? "Graph's own words are in ServerResponse; see docs/troubleshooting.md.")
            .Replace("{mailbox}", account.Address, StringComparison.Ordinal)
            .Replace("{appId}", clientId, StringComparison.Ordinal);
        var response = string.Create(CultureInfo.InvariantCulture, $"{status} {code}: {message}");
        return new ModernAuthException(
            row?.Category ?? ModernAuthErrorCategory.Unknown,
            $"Microsoft Graph refused to {operation} for '{account.Address}' ({status} {code}): {row?.Summary ?? message}",
            advice,
            exception)
        {
            ErrorCode = code,
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
            ServerResponse = response,
            RetryAfter = retryAfter,
        };
    }

    private static TimeSpan? RetryAfter(ApiException exception)
    {
        if (exception.ResponseHeaders is null)
        {
            return null;
        }

        foreach (var (name, values) in exception.ResponseHeaders)
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase) && values.FirstOrDefault() is { } value)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    var wait = at - DateTimeOffset.UtcNow;
                    return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
                }
            }
        }

        return null;
    }
}
