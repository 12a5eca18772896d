namespace XCally.ModernAuth;

/// <summary>A client secret from the app registration's <em>Certificates &amp; secrets</em> page (its <em>Value</em>, not its <em>Secret ID</em>).</summary>
public sealed class ClientSecretCredential : ProviderCredential
{
    /// <summary>Creates the credential.</summary>
    /// <param name="secret">The secret's value.</param>
    /// <param name="expiresOn">When the secret expires, if known; used to warn before it does.</param>
    public ClientSecretCredential(string secret, DateTimeOffset? expiresOn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        Secret = secret;
        ExpiresOn = expiresOn;
    }

    /// <summary>When the secret expires, if known.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <inheritdoc />
    public override string Description => "client secret";

    /// <summary>The secret's value. Internal so that no host code logs it by accident.</summary>
    internal string Secret { get; }

    internal override bool HasSameMaterial(ProviderCredential other) =>
        other is ClientSecretCredential secret && string.Equals(Secret, secret.Secret, StringComparison.Ordinal) && ExpiresOn == secret.ExpiresOn;
}
