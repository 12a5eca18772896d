namespace XCally.ModernAuth;

/// <summary>What <see cref="IModernAuthDiagnostics.GetStatusAsync"/> reports.</summary>
public sealed class ModernAuthStatusOptions
{
    /// <summary>
    /// How long before its expiry a credential makes its provider Degraded; <see langword="null"/> (the default) takes
    /// <see cref="CredentialExpiryOptions.WarningWindow"/> (30 days unless configured).
    /// </summary>
    public TimeSpan? ExpiryWarningWindow { get; set; }

    /// <summary>Whether the email accounts are reported too, not only the cloud providers. Default <see langword="true"/>.</summary>
    public bool IncludeAccounts { get; set; } = true;
}
