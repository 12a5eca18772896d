namespace XCally.ModernAuth.Testing;

/// <summary>
/// A federated credential of an <see cref="EmulatorApplication"/> (<em>Certificates &amp; secrets</em>, <em>Federated credentials</em>):
/// tokens of <see cref="Issuer"/> about <see cref="Subject"/> for <see cref="Audience"/> are accepted as the application's client
/// assertion. Matched case-sensitively, as Entra ID does.
/// </summary>
public sealed class EmulatorFederatedCredential
{
    /// <summary>The audience Entra ID proposes for every federated credential of the global cloud.</summary>
    public const string DefaultAudience = "api://AzureADTokenExchange";

    internal EmulatorFederatedCredential(string name, string issuer, string subject, string audience)
    {
        Name = name;
        Issuer = issuer;
        Subject = subject;
        Audience = audience;
    }

    /// <summary>The credential's name.</summary>
    public string Name { get; }

    /// <summary>The issuer (<c>iss</c>) of the tokens accepted, e.g. a managed identity's <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string Issuer { get; }

    /// <summary>The subject (<c>sub</c>), e.g. a managed identity's object id or <c>system:serviceaccount:mail:channel</c>.</summary>
    public string Subject { get; }

    /// <summary>The audience (<c>aud</c>) the tokens must have.</summary>
    public string Audience { get; }

    /// <inheritdoc />
    public override string ToString() => $"federated credential {Name} (issuer {Issuer}, subject {Subject}, audience {Audience})";
}
