namespace XCally.ModernAuth;

/// <summary>
/// Makes the <see cref="IMailTransport"/> of one kind for an account; a transport package (<c>XCally.ModernAuth.Graph</c>)
/// registers one. <see cref="IMailTransports"/> picks it by <see cref="EmailAccount.Transport"/>.
/// </summary>
public interface IMailTransportFactory
{
    /// <summary>The kind of transport made.</summary>
    MailTransport Transport { get; }

    /// <summary>Makes the transport of an account.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The transport; kept and reused for as long as the account's settings do not change.</returns>
    IMailTransport Create(EmailAccount account);
}
