using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace XCally.ModernAuth.Testing.Identity.Internal;

/// <summary>An error as Microsoft Entra ID's token endpoint answers it: an OAuth error code, an AADSTS number and its text.</summary>
/// <param name="Error">The OAuth <c>error</c>, e.g. <c>invalid_client</c>.</param>
/// <param name="Code">The AADSTS number.</param>
/// <param name="Description">The text after <c>AADSTSnnnn: </c>.</param>
/// <param name="Status">The HTTP status.</param>
internal sealed record StsError(string Error, int Code, string Description, HttpStatusCode Status)
{
    /// <summary>Writes Entra's JSON error body, with the trace, correlation and timestamp lines it appends to the description.</summary>
    /// <param name="baseAddress">The server's base address, for <c>error_uri</c>.</param>
    /// <param name="now">The time to stamp.</param>
    /// <param name="correlationId">The client's <c>client-request-id</c>, or a new id.</param>
    /// <returns>The body.</returns>
    public JsonObject ToJson(Uri baseAddress, DateTimeOffset now, string correlationId)
    {
        var traceId = Guid.NewGuid().ToString();
        var timestamp = Timestamp(now);
        return new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = FullDescription(traceId, correlationId, now),
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = new Uri(baseAddress, string.Create(CultureInfo.InvariantCulture, $"error?code={Code}")).ToString(),
        };
    }

    /// <summary>The description as Entra sends it: <c>AADSTSnnnn: text</c>, then the trace id, correlation id and timestamp lines.</summary>
    /// <param name="traceId">The request's trace id.</param>
    /// <param name="correlationId">The request's correlation id.</param>
    /// <param name="now">The time to stamp.</param>
    /// <returns>The description.</returns>
    public string FullDescription(string traceId, string correlationId, DateTimeOffset now) => string.Create(
        CultureInfo.InvariantCulture,
        $"AADSTS{Code}: {Description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {Timestamp(now)}");

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
