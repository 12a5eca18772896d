namespace XCally.ModernAuth.Testing;

/// <summary>A client secret of an <see cref="EmulatorApplication"/>.</summary>
public sealed class EmulatorClientSecret
{
    internal EmulatorClientSecret(string value, DateTimeOffset? expiresOn)
    {
        Value = value;
        ExpiresOn = expiresOn;
        SecretId = Guid.NewGuid().ToString();
    }

    /// <summary>The secret's value, which clients send.</summary>
    public string Value { get; }

    /// <summary>The secret's id, which the portal also shows and which users paste by mistake.</summary>
    public string SecretId { get; }

    /// <summary>When the secret expires, or <see langword="null"/> for never.</summary>
    public DateTimeOffset? ExpiresOn { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"client secret {SecretId}";
}
