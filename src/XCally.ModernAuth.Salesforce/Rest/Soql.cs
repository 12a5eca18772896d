using System.Text;

namespace XCally.ModernAuth.Salesforce;

/// <summary>Helpers for writing SOQL safely.</summary>
public static class Soql
{
    /// <summary>A string literal for a SOQL query: quoted, with quotes, backslashes and line breaks escaped, so a value cannot change the query.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal, e.g. <c>'o\'brien@contoso.com'</c>.</returns>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            literal.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\b' => @"\b",
                '\f' => @"\f",
                _ => c.ToString(),
            });
        }

        return literal.Append('\'').ToString();
    }
}
