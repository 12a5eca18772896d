using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Testing.Salesforce.Internal;

/// <summary>
/// The SOQL an email channel sends: <c>SELECT f, g FROM T [WHERE f = 'v' [AND g = true]...] [ORDER BY f [ASC|DESC]] [LIMIT n]</c>,
/// string literals with SOQL's escapes. Anything else is <c>MALFORMED_QUERY</c>, an unknown field <c>INVALID_FIELD</c>.
/// </summary>
internal sealed partial class SoqlQuery
{
    private static readonly HashSet<string> SystemFields = new(["Id", "CreatedDate", "CaseNumber", "ContentDocumentId", "IsLatest"], StringComparer.OrdinalIgnoreCase);

    private SoqlQuery(string type, IReadOnlyList<string> fields, IReadOnlyList<(string Field, JsonNode? Value)> conditions, string? orderBy, bool descending, int? limit)
    {
        Type = type;
        Fields = fields;
        Conditions = conditions;
        OrderBy = orderBy;
        Descending = descending;
        Limit = limit;
    }

    public string Type { get; }

    public IReadOnlyList<string> Fields { get; }

    public IReadOnlyList<(string Field, JsonNode? Value)> Conditions { get; }

    public string? OrderBy { get; }

    public bool Descending { get; }

    public int? Limit { get; }

    /// <summary>Parses a query, or says why Salesforce would refuse it (its errorCode and message).</summary>
    public static (SoqlQuery? Query, string? ErrorCode, string? Message) Parse(string soql)
    {
        var match = Shape().Match(soql);
        if (!match.Success)
        {
            return (null, "MALFORMED_QUERY", $"unexpected token in query: {soql}");
        }

        var type = match.Groups["type"].Value;
        if (!EmulatorSalesforceOrg.WritableFields.TryGetValue(type, out var known))
        {
            return (null, "INVALID_TYPE", $"sObject type '{type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.");
        }

        var fields = match.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var conditions = new List<(string, JsonNode?)>();
        if (match.Groups["where"].Success)
        {
            foreach (var condition in SplitAnd(match.Groups["where"].Value))
            {
                var parts = Condition().Match(condition);
                if (!parts.Success)
                {
                    return (null, "MALFORMED_QUERY", $"unexpected token: '{condition}'");
                }

                conditions.Add((parts.Groups["field"].Value, Literal(parts.Groups["value"].Value)));
            }
        }

        var orderBy = match.Groups["order"].Success ? match.Groups["order"].Value : null;
        foreach (var field in fields.Concat(conditions.Select(c => c.Item1)).Concat(orderBy is null ? [] : [orderBy]))
        {
            if (!known.Contains(field) && !SystemFields.Contains(field))
            {
                return (null, "INVALID_FIELD", $"No such column '{field}' on entity '{type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            }
        }

        int? limit = match.Groups["limit"].Success ? int.Parse(match.Groups["limit"].Value, CultureInfo.InvariantCulture) : null;
        return (new SoqlQuery(type, fields, conditions, orderBy, match.Groups["dir"].Value.Equals("DESC", StringComparison.OrdinalIgnoreCase), limit), null, null);
    }

    public IEnumerable<JsonObject> Run(IEnumerable<JsonObject> records)
    {
        var matching = records.Where(record => Conditions.All(c => JsonNode.DeepEquals(record[c.Field], c.Value)));
        if (OrderBy is { } field)
        {
            matching = Descending
                ? matching.OrderByDescending(r => r[field]?.ToString(), StringComparer.Ordinal)
                : matching.OrderBy(r => r[field]?.ToString(), StringComparer.Ordinal);
        }

        return matching.Take(Limit ?? int.MaxValue);
    }

    private static IEnumerable<string> SplitAnd(string where)
    {
        // AND outside string literals.
        var current = new StringBuilder();
        var inString = false;
        for (var i = 0; i < where.Length; i++)
        {
            var c = where[i];
            if (c == '\\' && inString && i + 1 < where.Length)
            {
                current.Append(c).Append(where[++i]);
                continue;
            }

            if (c == '\'')
            {
                inString = !inString;
            }

            if (!inString && string.Compare(where, i, " AND ", 0, 5, StringComparison.OrdinalIgnoreCase) == 0)
            {
                yield return current.ToString().Trim();
                current.Clear();
                i += 4;
                continue;
            }

            current.Append(c);
        }

        yield return current.ToString().Trim();
    }

    private static JsonNode? Literal(string text)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(bool.Parse(text));
        }

        if (text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var value = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length - 1)
            {
                value.Append(text[++i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', var other => other });
            }
            else
            {
                value.Append(text[i]);
            }
        }

        return JsonValue.Create(value.ToString());
    }

    [GeneratedRegex(@"^\s*SELECT\s+(?<fields>[\w\s,]+?)\s+FROM\s+(?<type>\w+)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ORDER\s+BY\s+(?<order>\w+)(?:\s+(?<dir>ASC|DESC))?)?(?:\s+LIMIT\s+(?<limit>\d+))?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^(?<field>\w+)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'|true|false|null)$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Condition();
}
