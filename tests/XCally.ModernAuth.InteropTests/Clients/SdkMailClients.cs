using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;

namespace XCally.ModernAuth.InteropTests.Clients;

/// <summary>
/// Clients made by the SDK's public API. XOAUTH2 (what the SDK picks whenever a server offers it, as Exchange Online does) goes
/// through <see cref="IMailClientConnector"/>. OAUTHBEARER, which the connector only uses when XOAUTH2 is not offered, goes through
/// the SDK's <c>AuthenticateAsync(account, tokenProvider)</c> extension on a MailKit client from which XOAUTH2 was removed, the
/// way MailKit documents for steering the mechanism.
/// </summary>
/// <param name="connector">The host's connector.</param>
/// <param name="tokens">The host's token provider.</param>
/// <param name="accounts">The host's email accounts.</param>
/// <param name="mailKit">New MailKit clients that trust only the stack's certificate.</param>
public sealed class SdkMailClients(
    IMailClientConnector connector, ITokenProvider tokens, IEmailAccountStore accounts, DirectMailKitClients mailKit) : IInteropMailClients
{
    /// <inheritdoc />
    public async Task<ImapClient> ConnectImapAsync(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default) =>
        mechanism == OAuthMechanism.XOAuth2
            ? await connector.ConnectImapAsync(accountAddress, cancellationToken)
            : await ConnectOAuthBearerAsync(mailKit.NewImapClient(), accountAddress, MailProtocol.Imap, (client, account, ct) => client.AuthenticateAsync(account, tokens, ct), cancellationToken);

    /// <inheritdoc />
    public async Task<Pop3Client> ConnectPop3Async(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default) =>
        mechanism == OAuthMechanism.XOAuth2
            ? await connector.ConnectPop3Async(accountAddress, cancellationToken)
            : await ConnectOAuthBearerAsync(mailKit.NewPop3Client(), accountAddress, MailProtocol.Pop3, (client, account, ct) => client.AuthenticateAsync(account, tokens, ct), cancellationToken);

    /// <inheritdoc />
    public async Task<SmtpClient> ConnectSmtpAsync(string accountAddress, OAuthMechanism mechanism, CancellationToken cancellationToken = default) =>
        mechanism == OAuthMechanism.XOAuth2
            ? await connector.ConnectSmtpAsync(accountAddress, cancellationToken)
            : await ConnectOAuthBearerAsync(mailKit.NewSmtpClient(), accountAddress, MailProtocol.Smtp, (client, account, ct) => client.AuthenticateAsync(account, tokens, ct), cancellationToken);

    private async Task<TClient> ConnectOAuthBearerAsync<TClient>(
        TClient client,
        string accountAddress,
        MailProtocol protocol,
        Func<TClient, EmailAccount, CancellationToken, Task> authenticate,
        CancellationToken cancellationToken)
        where TClient : IMailService
    {
        try
        {
            var account = await accounts.FindAsync(accountAddress, cancellationToken)
                ?? throw new InvalidOperationException($"The host has no email account {accountAddress}.");
            var endpoint = account.GetEndpoint(protocol)
                ?? throw new InvalidOperationException($"{protocol} is disabled for {accountAddress}.");
            await client.ConnectAsync(endpoint.Host, endpoint.Port, DirectMailKitClients.ToMailKit(endpoint.TlsMode), cancellationToken);
            client.AuthenticationMechanisms.Remove("XOAUTH2");
            await authenticate(client, account, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
