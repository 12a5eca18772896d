namespace XCally.ModernAuth;

/// <summary>The settings of one protocol's endpoint for an email account. Unset values default from the provider's cloud.</summary>
public sealed class MailEndpointOptions
{
    /// <summary>Whether the protocol is used for this account. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>The TCP port, 1 to 65535.</summary>
    public int? Port { get; set; }

    /// <summary>How the connection is protected; <see cref="MailTlsMode.None"/> is refused, since bearer tokens must not cross a clear-text connection.</summary>
    public MailTlsMode? TlsMode { get; set; }
}
