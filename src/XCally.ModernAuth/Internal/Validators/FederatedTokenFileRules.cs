using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Internal;

/// <summary>The checks of a federated token file: its environment variables are set and the file is there.</summary>
internal static partial class FederatedTokenFileRules
{
    public static void Validate(string path, string configured, ValidationProblems problems)
    {
        foreach (Match variable in EnvironmentReference().Matches(configured))
        {
            var name = variable.Groups[1].Value;
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                problems.Add(path, name == FederatedTokenFileCredential.AzureFederatedTokenFileVariable
                    ? $"'{configured}' names the environment variable {name}, which is not set: on Kubernetes, label the pod azure.workload.identity/use: \"true\" and give it a service account annotated with azure.workload.identity/client-id, or set the token file's path"
                    : $"'{configured}' names the environment variable {name}, which is not set; set it or write the path itself");
                return;
            }
        }

        var file = Expand(configured);
        if (!File.Exists(file))
        {
            problems.Add(path, $"the token file '{file}' does not exist; check the path (the platform writes it: Kubernetes workload identity mounts it at /var/run/secrets/azure/tokens/azure-identity-token)");
        }
    }

    /// <summary>The path with <c>%NAME%</c> environment variables expanded.</summary>
    public static string Expand(string configured) => Environment.ExpandEnvironmentVariables(configured.Trim());

    [GeneratedRegex("%([A-Za-z_][A-Za-z0-9_]*)%")]
    private static partial Regex EnvironmentReference();
}
