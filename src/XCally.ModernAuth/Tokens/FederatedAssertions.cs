using Microsoft.Identity.Client;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The client assertions of the federated credentials: a managed identity's token for the token exchange audience, or the
/// token a platform writes to a file. Never logged, never quoted; failures name the file or the identity and the fix.
/// </summary>
internal static class FederatedAssertions
{
    /// <summary>The managed identity's token for <see cref="FederatedManagedIdentityCredential.Audience"/> (MSAL caches it until it is due).</summary>
    public static Func<AssertionRequestOptions, Task<string>> FromManagedIdentity(
        CloudProvider provider,
        FederatedManagedIdentityCredential credential,
        IManagedIdentityApplication identity) =>
        async options =>
        {
            try
            {
                var result = await identity.AcquireTokenForManagedIdentity(credential.Audience).ExecuteAsync(options.CancellationToken).ConfigureAwait(false);
                return result.AccessToken;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !options.CancellationToken.IsCancellationRequested)
            {
                var cause = IdentityErrorTranslator.Translate(exception, provider, TimeProvider.System);
                throw new ModernAuthException(
                    cause.Category,
                    $"The managed identity ({credential.Identity}) could not give the token for {credential.Audience} that is the client assertion of cloud provider '{provider.Name}': {cause.Summary}",
                    cause.Advice,
                    cause.InnerException)
                {
                    ErrorCode = cause.ErrorCode,
                    CloudProviderName = provider.Name,
                    CorrelationId = cause.CorrelationId,
                };
            }
        };

    /// <summary>The token in the file, read again for every assertion: the platform rotates it (Kubernetes about every hour).</summary>
    public static Func<AssertionRequestOptions, Task<string>> FromTokenFile(CloudProvider provider, FederatedTokenFileCredential credential) =>
        async options =>
        {
            var path = FederatedTokenFileRules.Expand(credential.Path);
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, options.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw TokenFileProblem(
                    provider,
                    exception is FileNotFoundException or DirectoryNotFoundException
                        ? $"the federated token file '{path}' of cloud provider '{provider.Name}' does not exist"
                        : $"the federated token file '{path}' of cloud provider '{provider.Name}' cannot be read ({exception.GetType().Name})",
                    exception);
            }

            var token = text.Trim();
            if (token.Length == 0 || token.Split('.').Length != 3)
            {
                throw TokenFileProblem(provider, $"the federated token file '{path}' of cloud provider '{provider.Name}' holds no JSON Web Token", inner: null);
            }

            return token;
        };

    private static ModernAuthException TokenFileProblem(CloudProvider provider, string problem, Exception? inner) =>
        new(
            ModernAuthErrorCategory.InvalidConfiguration,
            char.ToUpperInvariant(problem[0]) + problem[1..] + ".",
            "Check FederatedTokenFile: the platform writes the file (Kubernetes workload identity mounts it where AZURE_FEDERATED_TOKEN_FILE points, "
                + "for a pod labelled azure.workload.identity/use: \"true\"), and this process must be able to read it.",
            inner)
        {
            CloudProviderName = provider.Name,
        };
}
