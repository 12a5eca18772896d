using System.Text.Json;

namespace XCally.ModernAuth.Internal;

/// <summary>The fields of a Microsoft Entra token-endpoint error body the SDK uses; never the request that caused it.</summary>
internal sealed class IdentityErrorResponse
{
    public string? Error { get; private init; }

    public string? Description { get; private init; }

    public long? FirstErrorCode { get; private init; }

    public string? CorrelationId { get; private init; }

    public string? TraceId { get; private init; }

    /// <summary>Reads an Entra error body such as <c>{"error":"invalid_client","error_description":"AADSTS7000215: ...","error_codes":[7000215],...}</c>.</summary>
    /// <returns>The fields, or <see langword="null"/> when the body is not such JSON.</returns>
    public static IdentityErrorResponse? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            long? firstCode = null;
            if (root.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array)
            {
                foreach (var code in codes.EnumerateArray())
                {
                    if (code.TryGetInt64(out var value))
                    {
                        firstCode = value;
                        break;
                    }
                }
            }

            return new IdentityErrorResponse
            {
                Error = String(root, "error"),
                Description = String(root, "error_description"),
                FirstErrorCode = firstCode,
                CorrelationId = String(root, "correlation_id"),
                TraceId = String(root, "trace_id"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
