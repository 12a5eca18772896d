namespace XCally.ModernAuth.Internal;

/// <summary>The Microsoft Graph scopes of a provider: their checks, and the defaults when none are configured.</summary>
internal static class GraphScopeRules
{
    /// <summary>The delegated Graph permissions asked for by default: read and send the signed-in user's mailbox.</summary>
    public static readonly string[] DefaultDelegatedPermissions = ["Mail.ReadWrite", "Mail.Send"];

    private static readonly string[] OpenIdScopes = ["openid", "profile", "email", "offline_access"];

    public static void Validate(string path, CloudProviderOptions options, ValidationProblems problems)
    {
        if (options.GraphScopes.Count == 0)
        {
            return;
        }

        if (options.Flow == AuthFlow.AppOnly)
        {
            problems.Add(path, "app-only Graph tokens are always '/.default' (the application permissions granted, e.g. Mail.Send, Mail.ReadWrite); remove GraphScopes and grant the permissions under the app registration's API permissions");
            return;
        }

        var cloud = Enum.IsDefined(options.Cloud) ? options.Cloud : CloudEnvironment.Global;
        var graphHost = new Uri(ResourceScopes.GraphHost(cloud)).Host;
        for (var i = 0; i < options.GraphScopes.Count; i++)
        {
            var scope = options.GraphScopes[i]?.Trim();
            var scopePath = ValidationProblems.Path(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (string.IsNullOrEmpty(scope))
            {
                problems.Add(scopePath, "empty; remove it");
            }
            else if (scope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase) || scope == ".default")
            {
                problems.Add(scopePath, "'/.default' is for app-only tokens; list the delegated permissions, e.g. Mail.ReadWrite, Mail.Send, Mail.Send.Shared");
            }
            else if (scope.Contains("://", StringComparison.Ordinal)
                && (!Uri.TryCreate(scope, UriKind.Absolute, out var uri) || !string.Equals(uri.Host, graphHost, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(scopePath, $"'{scope}' is not a Microsoft Graph permission of the {cloud} cloud; use a permission name such as Mail.Send.Shared, or https://{graphHost}/Mail.Send.Shared");
            }
        }
    }

    /// <summary>The Graph scopes a provider requests: validated configuration, or the defaults of its flow.</summary>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> configured, CloudEnvironment cloud, AuthFlow flow)
    {
        var host = ResourceScopes.GraphHost(Enum.IsDefined(cloud) ? cloud : CloudEnvironment.Global);
        if (flow == AuthFlow.AppOnly)
        {
            return [host + "/.default"];
        }

        var permissions = configured.Select(scope => scope.Trim()).Where(scope => scope.Length > 0).ToList();
        if (permissions.Count == 0)
        {
            permissions.AddRange(DefaultDelegatedPermissions);
        }

        var scopes = permissions
            .Select(scope => scope.Contains("://", StringComparison.Ordinal) || OpenIdScopes.Contains(scope, StringComparer.OrdinalIgnoreCase) ? scope : $"{host}/{scope}")
            .ToList();
        if (!scopes.Contains("offline_access", StringComparer.OrdinalIgnoreCase))
        {
            scopes.Add("offline_access");
        }

        return scopes;
    }
}
