namespace XCally.ModernAuth;

/// <summary>The health of a cloud provider or email account, in the order of Microsoft.Extensions.Diagnostics.HealthChecks' statuses.</summary>
public enum ModernAuthHealth
{
    /// <summary>Mail stops or has stopped: no token, a refused credential or sign-in, a faulted IDLE session.</summary>
    Unhealthy = 0,

    /// <summary>Mail still flows, but will stop unless someone acts (a credential expiring soon, a failing refresh) or is being retried.</summary>
    Degraded = 1,

    /// <summary>Nothing to do.</summary>
    Healthy = 2,
}
