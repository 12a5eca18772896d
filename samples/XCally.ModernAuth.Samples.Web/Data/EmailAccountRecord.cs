namespace XCally.ModernAuth.Samples.Web.Data;

/// <summary>A row of the <c>EmailAccounts</c> table: a mailbox associated with a Microsoft Azure provider, and its endpoints.</summary>
public sealed class EmailAccountRecord
{
    public int Id { get; set; }

    public string Address { get; set; } = string.Empty;

    /// <summary>The address in upper case, unique.</summary>
    public string NormalizedAddress { get; set; } = string.Empty;

    /// <summary>The login name, when not the address (a shared mailbox signed in to through another user).</summary>
    public string? UserName { get; set; }

    public int CloudProviderId { get; set; }

    public CloudProviderRecord? CloudProvider { get; set; }

    public MailEndpointRecord Imap { get; set; } = new();

    public MailEndpointRecord Pop3 { get; set; } = new();

    public MailEndpointRecord Smtp { get; set; } = new();

    /// <summary>Whether the console keeps an IMAP IDLE session on the INBOX (shown on the Status page).</summary>
    public bool WatchInbox { get; set; }

    public bool IsDemo { get; set; }

    public long Version { get; set; }

    public DateTimeOffset UpdatedOn { get; set; }
}

/// <summary>One protocol's endpoint of an account; unset values default from the provider's cloud.</summary>
public sealed class MailEndpointRecord
{
    public bool Enabled { get; set; } = true;

    public string? Host { get; set; }

    public int? Port { get; set; }

    public MailTlsMode? TlsMode { get; set; }
}
