namespace XCally.ModernAuth;

/// <summary>
/// A mailbox associated with a <see cref="CloudProvider"/>, with the endpoints it is reached on and, for a shared mailbox, whose
/// sign-in serves it and how it sends. Immutable and validated.
/// </summary>
/// <remarks>
/// A shared mailbox has no sign-in of its own. With app-only tokens the application itself is given its rights: the account is
/// just its address. With delegated tokens an agent who holds Full Access (and Send As or Send on Behalf) signs in once, and every
/// account naming that agent in <see cref="SignInUser"/> is served by the one sign-in. IMAP and POP3 log in to the shared
/// mailbox (<see cref="UserName"/>) with the agent's token; SMTP logs in as the agent (<see cref="SmtpUserName"/>) and sends from
/// the shared address (<see cref="SmtpSender"/>, <see cref="SenderHeader"/>).
/// </remarks>
public sealed class EmailAccount : IEquatable<EmailAccount>
{
    internal EmailAccount(
        string address,
        string userName,
        string cloudProviderName,
        MailEndpoint? imap,
        MailEndpoint? pop3,
        MailEndpoint? smtp,
        string? signInUser = null,
        SendPermission sendPermission = SendPermission.SendAs,
        MailTransport transport = MailTransport.Imap)
    {
        SignInUser = signInUser;
        SendPermission = sendPermission;
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

    // The token slots that last served this account object, one per resource: the token provider's hot path reads the slot
    // from here instead of looking it up in two dictionaries (the provider's, then the account's). Only a hint, checked on
    // every use; not part of the account's value (Equals, GetHashCode).
    internal Internal.TokenSlot? ExchangeTokenSlotHint { get; set; }
    internal Internal.TokenSlot? GraphTokenSlotHint { get; set; }

    /// <summary>The name IMAP and POP3 are given at login (XOAUTH2 <c>user=</c>): the mailbox's address unless set otherwise.</summary>
    public string UserName { get; }

    /// <summary>
    /// The user whose delegated sign-in serves this account, for a shared mailbox of a <see cref="AuthFlow.Delegated"/> provider
    /// (an agent holding Full Access to it); <see langword="null"/> when the mailbox's own user signs in. One sign-in of that user
    /// serves every account that names it: the token cache entry and the cached token are that user's.
    /// </summary>
    public string? SignInUser { get; }

    /// <summary>Which permission the account sends from <see cref="Address"/> with when <see cref="SignInUser"/> is set.</summary>
    public SendPermission SendPermission { get; }

    /// <summary>
    /// The name SMTP is given at login: the signed-in user (<see cref="SignInUser"/>) for a shared mailbox, since SMTP accepts only
    /// the token's own identity; otherwise <see cref="UserName"/>.
    /// </summary>
    public string SmtpUserName => SignInUser ?? UserName;

    /// <summary>
    /// SMTP's <c>MAIL FROM</c> for messages from <see cref="Address"/>: the address itself, or the signed-in user when the account
    /// sends on behalf (<see cref="SendPermission.SendOnBehalf"/>).
    /// </summary>
    public string SmtpSender => SendPermission == SendPermission.SendOnBehalf && SignInUser is { } user ? user : Address;

    /// <summary>The <c>Sender:</c> header messages from <see cref="Address"/> carry: the signed-in user when the account sends on behalf, otherwise none.</summary>
    public string? SenderHeader => SendPermission == SendPermission.SendOnBehalf ? SignInUser : null;

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

    /// <summary>The name a protocol's login is given (XOAUTH2 <c>user=</c>, OAUTHBEARER <c>a=</c>): <see cref="UserName"/> for IMAP and POP3, <see cref="SmtpUserName"/> for SMTP.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The login name.</returns>
    public string GetLoginName(MailProtocol protocol) => protocol == MailProtocol.Smtp ? SmtpUserName : UserName;

    /// <summary>Whether <paramref name="other"/> has the same settings: address, user name, provider, endpoints, sign-in user, send permission and transport.</summary>
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
                && string.Equals(SignInUser, other.SignInUser, StringComparison.Ordinal)
                && SendPermission == other.SendPermission
                && Transport == other.Transport));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmailAccount);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(Address),
        StringComparer.Ordinal.GetHashCode(UserName),
        StringComparer.Ordinal.GetHashCode(CloudProviderName),
        SignInUser is null ? 0 : StringComparer.Ordinal.GetHashCode(SignInUser),
        SendPermission,
        Transport);

    /// <inheritdoc />
    public override string ToString() => SignInUser is null
        ? $"EmailAccount {Address} (user {UserName}, provider {CloudProviderName}, transport {Transport})"
        : $"EmailAccount {Address} (user {UserName}, signed in as {SignInUser}, {SendPermission}, provider {CloudProviderName}, transport {Transport})";
}
