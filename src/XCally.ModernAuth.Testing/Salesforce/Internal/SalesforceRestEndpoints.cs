using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace XCally.ModernAuth.Testing.Salesforce.Internal;

/// <summary>
/// The REST subset of an email channel under <c>/services/data/vNN.N/</c>: create a record, read one, a SOQL query, and an
/// all-or-none composite request; errors as Salesforce writes them, <c>[{"message":..,"errorCode":..,"fields":[..]}]</c>.
/// </summary>
internal sealed class SalesforceRestEndpoints(SalesforceEmulator emulator)
{
    private const string Halted = "The transaction was rolled back since another operation in the same transaction failed.";

    private EmulatorSalesforceOrg Org => emulator.Org;

    public Task CreateAsync(HttpContext context) => HandleAsync(context, async () =>
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var type = (string)context.Request.RouteValues["type"]!;
        var result = Org.WithRecords(records => Create(records, type, body, references: null));
        return result.Status == StatusCodes.Status201Created
            ? (result.Status, new JsonObject { ["id"] = result.Id, ["success"] = true, ["errors"] = new JsonArray() })
            : (result.Status, result.Errors!);
    });

    public Task ReadAsync(HttpContext context) => HandleAsync(context, () =>
    {
        var type = (string)context.Request.RouteValues["type"]!;
        var id = (string)context.Request.RouteValues["id"]!;
        var record = Org.Records(type).FirstOrDefault(r => (string?)r["Id"] == id);
        return Task.FromResult<(int, JsonNode)>(record is null
            ? (StatusCodes.Status404NotFound, Errors("NOT_FOUND", "The requested resource does not exist"))
            : (StatusCodes.Status200OK, WithAttributes(context, type, record)));
    });

    public Task QueryAsync(HttpContext context) => HandleAsync(context, () =>
    {
        var (query, errorCode, message) = SoqlQuery.Parse(context.Request.Query["q"].FirstOrDefault() ?? string.Empty);
        if (query is null)
        {
            return Task.FromResult<(int, JsonNode)>((StatusCodes.Status400BadRequest, Errors(errorCode!, message!)));
        }

        var records = Org.WithRecords(access => query.Run(access.All(query.Type))
            .Select(record =>
            {
                var selected = new JsonObject();
                foreach (var field in query.Fields)
                {
                    selected[field] = record[field]?.DeepClone();
                }

                return WithAttributes(context, query.Type, selected, (string?)record["Id"]);
            })
            .ToList());
        var array = new JsonArray([.. records]);
        return Task.FromResult<(int, JsonNode)>((StatusCodes.Status200OK, new JsonObject { ["totalSize"] = records.Count, ["done"] = true, ["records"] = array }));
    });

    public Task CompositeAsync(HttpContext context) => HandleAsync(context, async () =>
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body?["compositeRequest"] is not JsonArray requests || requests.Count is 0 or > 25)
        {
            return (StatusCodes.Status400BadRequest, Errors("JSON_PARSER_ERROR", "compositeRequest must hold 1 to 25 subrequests"));
        }

        var allOrNone = body["allOrNone"]?.GetValue<bool>() ?? false;
        return (StatusCodes.Status200OK, Org.WithRecords(records => Composite(records, requests, allOrNone)));
    });

    private static JsonObject Composite(EmulatorSalesforceOrg.RecordsAccess records, JsonArray requests, bool allOrNone)
    {
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<(string Reference, string Type, int Status, string? Id, JsonNode? Errors)>();
        foreach (var request in requests.OfType<JsonObject>())
        {
            var reference = (string?)request["referenceId"] ?? string.Empty;
            var url = (string?)request["url"] ?? string.Empty;
            var type = url.TrimEnd('/').Split('/')[^1];
            var result = (string?)request["method"] == "POST" && url.Contains("/sobjects/", StringComparison.Ordinal)
                ? Create(records, type, request["body"] as JsonObject, references)
                : (Status: StatusCodes.Status400BadRequest, Id: null, Errors: Errors("INVALID_OPERATION", "only POST to /sobjects/ is emulated in a composite request"));
            results.Add((reference, type, result.Status, result.Id, result.Errors));
            if (result.Id is { } id)
            {
                references[reference] = id;
            }
            else if (allOrNone)
            {
                break;
            }
        }

        var failed = allOrNone && results.Any(r => r.Id is null);
        if (failed)
        {
            foreach (var created in results.Where(r => r.Id is not null))
            {
                records.Remove(created.Type, created.Id!);
            }
        }

        var responses = new JsonArray();
        foreach (var request in requests.OfType<JsonObject>().Select((r, i) => (Reference: (string?)r["referenceId"], Index: i)))
        {
            var result = request.Index < results.Count ? results[request.Index] : default;
            var (status, node) = failed && result.Errors is null
                ? (StatusCodes.Status400BadRequest, Errors("PROCESSING_HALTED", Halted))
                : result.Id is { } id
                    ? (StatusCodes.Status201Created, (JsonNode)new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() })
                    : (result.Status, result.Errors!);
            responses.Add(new JsonObject { ["body"] = node.DeepClone(), ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = status, ["referenceId"] = request.Reference });
        }

        return new JsonObject { ["compositeResponse"] = responses };
    }

    private static (int Status, string? Id, JsonNode? Errors) Create(EmulatorSalesforceOrg.RecordsAccess records, string type, JsonObject? body, Dictionary<string, string>? references)
    {
        if (!EmulatorSalesforceOrg.WritableFields.TryGetValue(type, out var writable))
        {
            return (StatusCodes.Status404NotFound, null, Errors("NOT_FOUND", "The requested resource does not exist"));
        }

        if (body is null)
        {
            return (StatusCodes.Status400BadRequest, null, Errors("JSON_PARSER_ERROR", "The request body is missing or is not a JSON object"));
        }

        var record = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (!writable.Contains(name))
            {
                return (StatusCodes.Status400BadRequest, null, Errors("INVALID_FIELD", $"No such column '{name}' on sobject of type {type}", name));
            }

            var resolved = value?.DeepClone();
            if (resolved is JsonValue text && text.TryGetValue<string>(out var s) && s.StartsWith("@{", StringComparison.Ordinal) && s.EndsWith(".id}", StringComparison.Ordinal))
            {
                var reference = s[2..^4];
                if (references is null || !references.TryGetValue(reference, out var id))
                {
                    return (StatusCodes.Status400BadRequest, null, Errors("INVALID_FIELD", $"Invalid reference specified. No value for {reference}.id found in {reference}.", name));
                }

                resolved = JsonValue.Create(id);
            }

            record[name] = resolved;
        }

        var missing = Required(type).Where(field => record[field] is null).ToArray();
        if (missing.Length > 0)
        {
            return (StatusCodes.Status400BadRequest, null, Errors("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing));
        }

        foreach (var lookup in new[] { "ParentId", "ContactId", "FirstPublishLocationId", "AccountId" })
        {
            if ((string?)record[lookup] is { } target && !records.Exists(target))
            {
                return (StatusCodes.Status400BadRequest, null, Errors("INVALID_CROSS_REFERENCE_KEY", $"invalid cross reference id", lookup));
            }
        }

        if (string.Equals(type, "ContentVersion", StringComparison.OrdinalIgnoreCase) && !IsBase64((string?)record["VersionData"]))
        {
            return (StatusCodes.Status400BadRequest, null, Errors("JSON_PARSER_ERROR", "Cannot deserialize instance of base64 from VALUE_STRING value", "VersionData"));
        }

        return (StatusCodes.Status201Created, records.Insert(type, record), null);
    }

    private static string[] Required(string type) => type.ToUpperInvariant() switch
    {
        "CONTENTVERSION" => ["PathOnClient", "VersionData"],
        "CONTACT" => ["LastName"],
        "ACCOUNT" => ["Name"],
        _ => [],
    };

    private static bool IsBase64(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var buffer = new byte[((text.Length * 3) / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private async Task HandleAsync(HttpContext context, Func<Task<(int Status, JsonNode Body)>> handle)
    {
        emulator.Counters.CountRestRequest();
        var version = (string?)context.Request.RouteValues["version"] ?? string.Empty;
        if (!version.StartsWith('v') || !double.TryParse(version[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number is < 31 or > 66)
        {
            await SalesforceTokenEndpoint.JsonAsync(context, StatusCodes.Status404NotFound, Errors("NOT_FOUND", "The requested resource does not exist")).ConfigureAwait(false);
            return;
        }

        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : null;
        if (!Org.IsSessionValid(token))
        {
            emulator.Counters.CountRefusedSession();
            await SalesforceTokenEndpoint.JsonAsync(context, StatusCodes.Status401Unauthorized, Errors("INVALID_SESSION_ID", "Session expired or invalid")).ConfigureAwait(false);
            return;
        }

        if (Org.TakeRestFault() is { } fault)
        {
            await SalesforceTokenEndpoint.JsonAsync(context, fault.Status, Errors(fault.ErrorCode, fault.Message, fault.Fields)).ConfigureAwait(false);
            return;
        }

        var (status, body) = await handle().ConfigureAwait(false);
        await SalesforceTokenEndpoint.JsonAsync(context, status, body).ConfigureAwait(false);
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject WithAttributes(HttpContext context, string type, JsonObject record, string? id = null)
    {
        var result = new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = type, ["url"] = $"/services/data/{context.Request.RouteValues["version"]}/sobjects/{type}/{id ?? (string?)record["Id"]}" },
        };
        foreach (var (name, value) in record)
        {
            result[name] = value?.DeepClone();
        }

        return result;
    }

    private static JsonArray Errors(string errorCode, string message, params string[] fields) =>
        [new JsonObject { ["message"] = message, ["errorCode"] = errorCode, ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]) }];
}
