namespace XCally.ModernAuth.Internal;

/// <summary>
/// What the token provider keeps for one <see cref="CloudProvider"/> instance: its MSAL client (inside the acquirer) and the
/// fast path of its app-only token. Replaced whole when the store returns a new instance after a configuration change.
/// </summary>
internal sealed class ProviderTokens(CloudProvider provider, TokenSlot appOnly) : IDisposable
{
    public CloudProvider Provider { get; } = provider;

    /// <summary>App-only tokens: one scope set (the provider's) for every account and protocol.</summary>
    public TokenSlot AppOnly { get; } = appOnly;

    public void Dispose() => AppOnly.Dispose();
}
