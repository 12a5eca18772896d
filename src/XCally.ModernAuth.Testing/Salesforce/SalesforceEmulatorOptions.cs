using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Testing;

/// <summary>How <see cref="SalesforceEmulator.StartAsync"/> sets up the emulated org.</summary>
public sealed class SalesforceEmulatorOptions
{
    /// <summary>The org's clock; a <c>FakeTimeProvider</c> lets a test time sessions out. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The org's session timeout (<em>Session Settings → Timeout Value</em>). Default 2 hours.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Whether the org allows the username-password flow (<em>OAuth and OpenID Connect Settings → Allow OAuth Username-Password
    /// Flows</em>). Default <see langword="false"/>, as in orgs created since Summer '23.
    /// </summary>
    public bool AllowUsernamePasswordFlows { get; set; }

    /// <summary>Logs what the org issues and refuses (never a secret or session); nothing is logged when unset.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
