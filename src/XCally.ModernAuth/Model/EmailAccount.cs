namespace XCally.ModernAuth;

/// <summary>
/// A mailbox associated with a <see cref="CloudProvider"/>, with the endpoints it is reached on. Immutable and validated.
/// </summary>
public sealed class EmailAccount : IEquatable<EmailAccount>
{
    internal EmailAccount(
        string address,
        string userName,
        string cloudProviderName,
        MailEndpoint? imap,
        MailEndpoint? pop3,
        MailEndpoint? smtp,
        MailTransport transport = MailTransport.Imap)
    {
        Transport = transport;
        Address = address;
        UserName = userName;
        CloudProviderName = cloudProviderName;
        Imap = imap;
        Pop3 = pop3;
        Smtp = smtp;
    }

    /// <summary>The mailbox's email address.</summary>
    public string Address { get; }

    /// <summary>The name the mail servers are given at login: the address, or a shared mailbox's address when signing in to it.</summary>
    public string UserName { get; }

    /// <summary>The <see cref="CloudProvider.Name"/> of the provider that issues this account's tokens.</summary>
    public string CloudProviderName { get; }

    /// <summary>The IMAP endpoint, or <see langword="null"/> when IMAP is disabled for this account.</summary>
    public MailEndpoint? Imap { get; }

    /// <summary>The POP3 endpoint, or <see langword="null"/> when POP3 is disabled for this account.</summary>
    public MailEndpoint? Pop3 { get; }

    /// <summary>The SMTP submission endpoint, or <see langword="null"/> when SMTP is disabled for this account.</summary>
    public MailEndpoint? Smtp { get; }

    /// <summary>How mail is sent and read through <see cref="IMailTransport"/>.</summary>
    public MailTransport Transport { get; }

    /// <summary>Creates a validated account from options, for hosts that keep accounts in their own store.</summary>
    /// <param name="options">The account's settings.</param>
    /// <param name="provider">The provider it is associated with; its cloud gives the default endpoints.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ModernAuthException">The options are invalid; the message lists every problem.</exception>
    public static EmailAccount Create(EmailAccountOptions options, CloudProvider provider) =>
        Internal.ModelFactory.CreateEmailAccount(options, provider);

    /// <summary>The endpoint of a protocol, or <see langword="null"/> when that protocol is disabled.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The endpoint.</returns>
    public MailEndpoint? GetEndpoint(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => Imap,
        MailProtocol.Pop3 => Pop3,
        MailProtocol.Smtp => Smtp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
    };

    /// <summary>Whether <paramref name="other"/> has the same settings: address, user name, provider, endpoints and transport.</summary>
    /// <param name="other">The other account.</param>
    /// <returns><see langword="true"/> when the two reach the same mailbox the same way.</returns>
    public bool Equals(EmailAccount? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Address, other.Address, StringComparison.Ordinal)
                && string.Equals(UserName, other.UserName, StringComparison.Ordinal)
                && string.Equals(CloudProviderName, other.CloudProviderName, StringComparison.Ordinal)
                && Imap == other.Imap
                && Pop3 == other.Pop3
                && Smtp == other.Smtp
                && Transport == other.Transport));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmailAccount);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(Address),
        StringComparer.Ordinal.GetHashCode(UserName),
        StringComparer.Ordinal.GetHashCode(CloudProviderName));

    /// <inheritdoc />
    public override string ToString() => $"EmailAccount {Address} (user {UserName}, provider {CloudProviderName}, transport {Transport})";
}
