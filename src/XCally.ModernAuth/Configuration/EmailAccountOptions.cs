namespace XCally.ModernAuth;

/// <summary>The settings of one email account; validated into an <see cref="EmailAccount"/>.</summary>
public sealed class EmailAccountOptions
{
    /// <summary>The mailbox's email address. Required.</summary>
    public string? Address { get; set; }

    /// <summary>The login name given to the mail servers. Default: <see cref="Address"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>The name of the cloud provider the account is associated with. Required.</summary>
    public string? CloudProvider { get; set; }

    /// <summary>The IMAP endpoint; defaults from the provider's cloud.</summary>
    public MailEndpointOptions Imap { get; set; } = new();

    /// <summary>The POP3 endpoint; defaults from the provider's cloud.</summary>
    public MailEndpointOptions Pop3 { get; set; } = new();

    /// <summary>The SMTP submission endpoint; defaults from the provider's cloud.</summary>
    public MailEndpointOptions Smtp { get; set; } = new();

    /// <summary>
    /// How mail is sent and read through <see cref="IMailTransport"/>: <see cref="MailTransport.Imap"/> (the default),
    /// <see cref="MailTransport.Graph"/> or <see cref="MailTransport.Auto"/>.
    /// </summary>
    public MailTransport Transport { get; set; } = MailTransport.Imap;

    /// <summary>The configuration path this account was bound from, for validation messages; <see langword="null"/> when added in code.</summary>
    internal string? ConfigurationPath { get; set; }
}
