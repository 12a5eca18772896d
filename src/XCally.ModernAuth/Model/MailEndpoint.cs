namespace XCally.ModernAuth;

/// <summary>Where a mail server listens and how the connection is protected. Immutable.</summary>
public sealed record MailEndpoint
{
    /// <summary>Creates an endpoint.</summary>
    /// <param name="host">The server's host name.</param>
    /// <param name="port">The TCP port, 1 to 65535.</param>
    /// <param name="tlsMode">How the connection is protected.</param>
    public MailEndpoint(string host, int port, MailTlsMode tlsMode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        TlsMode = tlsMode;
    }

    /// <summary>The server's host name.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>How the connection is protected.</summary>
    public MailTlsMode TlsMode { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port} ({TlsMode})";
}
