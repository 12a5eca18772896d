using Microsoft.Extensions.Diagnostics.HealthChecks;
using XCally.ModernAuth;
using XCally.ModernAuth.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the XCally.ModernAuth health check to a host's health checks.</summary>
public static class ModernAuthHealthChecksBuilderExtensions
{
    /// <summary>The default name of the health check.</summary>
    public const string DefaultName = "xcally-modernauth";

    /// <summary>
    /// Adds a health check of every cloud provider (its credential's expiry: Degraded within
    /// <see cref="CredentialExpiryOptions.WarningWindow"/>, Unhealthy once expired; a token obtainable, from the cache while one is
    /// valid) and every email account (a delegated sign-in usable, the last sign-in over each protocol, the IMAP IDLE session).
    /// A probe reaches no mail server, and the identity platform only for a token never obtained before.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name; <see cref="DefaultName"/> by default.</param>
    /// <param name="failureStatus">What an unhealthy result is reported as; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter the check by (for example <c>ready</c>).</param>
    /// <param name="configure">Sets what the check reports (the expiry window, whether accounts are included).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddXCallyModernAuth(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        Action<ModernAuthStatusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new ModernAuthStatusOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new ModernAuthHealthCheck(services.GetRequiredService<IModernAuthDiagnostics>(), options),
            failureStatus,
            tags));
    }
}
