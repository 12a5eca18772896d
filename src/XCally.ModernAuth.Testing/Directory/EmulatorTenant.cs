namespace XCally.ModernAuth.Testing;

/// <summary>A Microsoft Entra tenant in the emulator.</summary>
public sealed class EmulatorTenant
{
    internal EmulatorTenant(string tenantId, string domain)
    {
        TenantId = tenantId;
        Domain = domain;
    }

    /// <summary>The Directory (tenant) ID.</summary>
    public string TenantId { get; }

    /// <summary>The tenant's verified domain.</summary>
    public string Domain { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Domain} ({TenantId})";
}
