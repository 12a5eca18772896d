namespace XCally.ModernAuth;

/// <summary>
/// A signed client assertion from a callback, for workload identity federation (a Kubernetes service-account token,
/// a managed identity's token) or a key held in a vault.
/// </summary>
public sealed class ClientAssertionCredential : ProviderCredential
{
    /// <summary>Creates the credential.</summary>
    /// <param name="getAssertion">Returns a fresh signed assertion; called whenever a token is requested from the identity platform.</param>
    public ClientAssertionCredential(Func<ClientAssertionRequest, CancellationToken, Task<string>> getAssertion)
    {
        ArgumentNullException.ThrowIfNull(getAssertion);
        GetAssertion = getAssertion;
    }

    /// <summary>The callback that returns a signed assertion.</summary>
    public Func<ClientAssertionRequest, CancellationToken, Task<string>> GetAssertion { get; }

    /// <inheritdoc />
    public override string Description => "client assertion";

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is ClientAssertionCredential assertion && GetAssertion == assertion.GetAssertion;
}
