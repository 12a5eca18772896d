using System.Text;

namespace XCally.ModernAuth.Internal;

/// <summary>Puts the SDK's own <c>state</c> on the authorization URL MSAL built, in place of any state MSAL added.</summary>
internal static class AuthorizationUrl
{
    public static Uri WithState(Uri url, string state)
    {
        var builder = new UriBuilder(url);
        var query = new StringBuilder();
        foreach (var pair in builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("state=", StringComparison.Ordinal) || pair == "state")
            {
                continue;
            }

            query.Append(query.Length == 0 ? string.Empty : "&").Append(pair);
        }

        query.Append(query.Length == 0 ? string.Empty : "&").Append("state=").Append(Uri.EscapeDataString(state));
        builder.Query = query.ToString();
        return builder.Uri;
    }
}
