namespace XCally.ModernAuth;

/// <summary>What a client assertion callback is asked to sign.</summary>
/// <param name="ClientId">The application (client) id the assertion is for.</param>
/// <param name="TokenEndpoint">The token endpoint the assertion is sent to (its audience).</param>
public sealed record ClientAssertionRequest(string ClientId, string TokenEndpoint);
