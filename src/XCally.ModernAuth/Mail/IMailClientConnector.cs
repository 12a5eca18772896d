using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;

namespace XCally.ModernAuth;

/// <summary>
/// Hands out MailKit clients that are connected to an email account's endpoint with its TLS mode and signed in with a fresh access
/// token. The caller owns (and disposes) each client. Registered by <c>AddXCallyModernAuth</c>; thread-safe.
/// </summary>
/// <remarks>
/// Throws <see cref="ModernAuthException"/> with category <see cref="ModernAuthErrorCategory.InvalidConfiguration"/> (unknown account,
/// protocol disabled), <see cref="ModernAuthErrorCategory.InsecureConnection"/> (no TLS), <see cref="ModernAuthErrorCategory.UnsupportedServer"/>
/// (neither XOAUTH2 nor OAUTHBEARER), <see cref="ModernAuthErrorCategory.MailboxAuthenticationFailed"/> or
/// <see cref="ModernAuthErrorCategory.ProtocolDisabled"/> (server refused), or a token provider's category.
/// </remarks>
#pragma warning disable RS0026 // The overloads differ in the type of their first parameter, never in which optional parameters they take.
public interface IMailClientConnector
{
    /// <summary>Connects and signs in to an account's IMAP server.</summary>
    /// <param name="accountAddress">The account's email address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<ImapClient> ConnectImapAsync(string accountAddress, CancellationToken cancellationToken = default);

    /// <summary>Connects and signs in to an account's IMAP server.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<ImapClient> ConnectImapAsync(EmailAccount account, CancellationToken cancellationToken = default);

    /// <summary>Connects and signs in to an account's POP3 server.</summary>
    /// <param name="accountAddress">The account's email address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<Pop3Client> ConnectPop3Async(string accountAddress, CancellationToken cancellationToken = default);

    /// <summary>Connects and signs in to an account's POP3 server.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<Pop3Client> ConnectPop3Async(EmailAccount account, CancellationToken cancellationToken = default);

    /// <summary>Connects (STARTTLS on 587 for Exchange Online) and signs in to an account's SMTP submission server.</summary>
    /// <param name="accountAddress">The account's email address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<SmtpClient> ConnectSmtpAsync(string accountAddress, CancellationToken cancellationToken = default);

    /// <summary>Connects (STARTTLS on 587 for Exchange Online) and signs in to an account's SMTP submission server.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The connected, authenticated client.</returns>
    Task<SmtpClient> ConnectSmtpAsync(EmailAccount account, CancellationToken cancellationToken = default);
}
#pragma warning restore RS0026
