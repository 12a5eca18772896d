namespace XCally.ModernAuth.Testing;

/// <summary>A request that reached the identity platform's token endpoint (see <see cref="EmulatorRequestCounters.TokenRequestReceived"/>).</summary>
public sealed class EmulatorTokenRequestEventArgs : EventArgs
{
    internal EmulatorTokenRequestEventArgs(DateTimeOffset receivedAt, string? grantType, string? clientId)
    {
        ReceivedAt = receivedAt;
        GrantType = grantType;
        ClientId = clientId;
    }

    /// <summary>When the request arrived, on the emulator's clock (a shared <c>FakeTimeProvider</c> in tests).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The request's <c>grant_type</c>, e.g. <c>client_credentials</c> or <c>refresh_token</c>, if it sent one.</summary>
    public string? GrantType { get; }

    /// <summary>The request's <c>client_id</c>, if it sent one.</summary>
    public string? ClientId { get; }
}
