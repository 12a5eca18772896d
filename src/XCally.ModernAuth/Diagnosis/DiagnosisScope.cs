namespace XCally.ModernAuth;

/// <summary>How far <see cref="IModernAuthDiagnostics.DiagnoseAsync"/> goes.</summary>
public enum DiagnosisScope
{
    /// <summary>Every step, the tenant's metadata and each enabled protocol's mail server included.</summary>
    Full = 0,

    /// <summary>
    /// Configuration, credential, token (from the cache while one is valid) and its claims: no mail server, no metadata request,
    /// no token request while a valid token is cached.
    /// </summary>
    Cheap,
}
