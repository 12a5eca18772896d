namespace XCally.ModernAuth;

/// <summary>
/// How the SDK watches its cloud providers' client secrets (<see cref="CloudProviderOptions.SecretExpiresOn"/>) and certificates
/// (<c>NotAfter</c>) in a long-running host: a check at start and then every <see cref="CheckInterval"/>, a logged warning for each
/// credential within <see cref="WarningWindow"/> of its expiry (an error once expired), and the gauge
/// <c>xcally.modernauth.credential.days_left</c>. The health check reports Degraded within the same window.
/// Configuration: <c>XCallyModernAuth:CredentialExpiry</c>.
/// </summary>
public sealed class CredentialExpiryOptions
{
    /// <summary>How long before its expiry a credential is warned about and reported Degraded. Default 30 days.</summary>
    public TimeSpan WarningWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the credentials are checked, on the host's <see cref="TimeProvider"/>. Default one day.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromDays(1);
}
