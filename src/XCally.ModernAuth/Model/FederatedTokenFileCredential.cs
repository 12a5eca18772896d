namespace XCally.ModernAuth;

/// <summary>
/// A federated credential whose assertion is a token written to a file by the platform: Kubernetes workload identity
/// (<c>AZURE_FEDERATED_TOKEN_FILE</c>), or any OpenID Connect issuer whose tokens the app registration's federated credential
/// trusts. The file is read again for every assertion, so the platform's rotation is followed without a restart.
/// </summary>
public sealed class FederatedTokenFileCredential : ProviderCredential
{
    /// <summary>The environment variable Kubernetes workload identity sets to the token file's path.</summary>
    public const string AzureFederatedTokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";

    /// <summary>Creates the credential.</summary>
    /// <param name="path">
    /// The token file; environment variables written as <c>%NAME%</c> are expanded at each read, so
    /// <c>%AZURE_FEDERATED_TOKEN_FILE%</c> follows the workload identity webhook.
    /// </param>
    public FederatedTokenFileCredential(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path.Trim();
    }

    /// <summary>The token file's path as configured (before environment variables are expanded).</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Description => $"federated credential (token file {Path})";

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is FederatedTokenFileCredential file && string.Equals(Path, file.Path, StringComparison.Ordinal);
}
