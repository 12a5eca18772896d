namespace XCally.ModernAuth.Salesforce;

/// <summary>Field maps for the REST API's JSON: unset fields are left out, so the org's defaults apply.</summary>
internal static class SalesforceFields
{
    public static Dictionary<string, object?> Of(IDictionary<string, object?>? additional, params (string Name, object? Value)[] fields)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }

        if (additional is not null)
        {
            foreach (var (name, value) in additional)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
