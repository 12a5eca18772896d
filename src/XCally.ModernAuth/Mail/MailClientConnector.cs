using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Internal;

/// <summary>Connects MailKit clients to an account's endpoints and signs them in through <see cref="OAuthAuthenticator"/>.</summary>
internal sealed partial class MailClientConnector : IMailClientConnector
{
    /// <summary>The logger category of protocol transcripts (<see cref="MailConnectorOptions.LogProtocol"/>).</summary>
    public const string ProtocolLoggerCategory = "XCally.ModernAuth.Mail.Protocol";

    private readonly IEmailAccountStore _accounts;
    private readonly ITokenProvider _tokenProvider;
    private readonly IOptionsMonitor<MailConnectorOptions> _options;
    private readonly ICloudProviderStore? _providers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TokenRefusalPolicy _refusalPolicy;

    public MailClientConnector(
        IEmailAccountStore accounts,
        ITokenProvider tokenProvider,
        IOptionsMonitor<MailConnectorOptions> options,
        ICloudProviderStore? providers = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        MailActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        ArgumentNullException.ThrowIfNull(options);
        _accounts = accounts;
        _tokenProvider = tokenProvider;
        _options = options;
        _providers = providers;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<MailClientConnector>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _refusalPolicy = new TokenRefusalPolicy(_timeProvider);
        Activity = activity;
    }

    /// <summary>Where sign-in outcomes and IDLE sessions are recorded for the health checks, if anywhere.</summary>
    internal MailActivity? Activity { get; }

    public async Task<ImapClient> ConnectImapAsync(string accountAddress, CancellationToken cancellationToken = default) =>
        await ConnectImapAsync(await FindAccountAsync(accountAddress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<ImapClient> ConnectImapAsync(EmailAccount account, CancellationToken cancellationToken = default) =>
        ConnectAsync(account, MailProtocol.Imap, log => new ImapClient(log), VerifyImapAccessAsync, cancellationToken);

    public async Task<Pop3Client> ConnectPop3Async(string accountAddress, CancellationToken cancellationToken = default) =>
        await ConnectPop3Async(await FindAccountAsync(accountAddress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<Pop3Client> ConnectPop3Async(EmailAccount account, CancellationToken cancellationToken = default) =>
        ConnectAsync(account, MailProtocol.Pop3, log => new Pop3Client(log), verify: null, cancellationToken);

    public async Task<SmtpClient> ConnectSmtpAsync(string accountAddress, CancellationToken cancellationToken = default) =>
        await ConnectSmtpAsync(await FindAccountAsync(accountAddress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    // The client checks each message's sender against the account before sending, and names the fix of a refused submission.
    public Task<SmtpClient> ConnectSmtpAsync(EmailAccount account, CancellationToken cancellationToken = default) =>
        ConnectAsync<SmtpClient>(account, MailProtocol.Smtp, log => new AccountSmtpClient(log, account, _options.CurrentValue.VerifySender), verify: null, cancellationToken);

    private async Task<TClient> ConnectAsync<TClient>(
        EmailAccount account,
        MailProtocol protocol,
        Func<IProtocolLogger, TClient> createClient,
        Func<TClient, OAuthAuthenticationContext, CancellationToken, Task>? verify,
        CancellationToken cancellationToken)
        where TClient : IMailService
    {
        TClient? client = default;
        try
        {
            (client, var recorder) = await OpenAsync(account, protocol, createClient, cancellationToken).ConfigureAwait(false);
            var context = await SignInAsync(client, recorder, account, protocol, cancellationToken).ConfigureAwait(false);
            if (verify is not null && _options.CurrentValue.VerifyMailboxAccess)
            {
                await verify(client, context, cancellationToken).ConfigureAwait(false);
            }

            Activity?.SignedIn(account, protocol, _timeProvider.GetUtcNow());
            return client;
        }
        catch (Exception ex)
        {
            if (ex is ModernAuthException refused)
            {
                Activity?.SignInFailed(account, protocol, refused, _timeProvider.GetUtcNow());
            }

            // A client that could not even connect was already disposed by OpenAsync.
            if (client is not null)
            {
                await DisconnectQuietlyAsync(client).ConfigureAwait(false);
                client.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Makes a client with the connector's settings (time-out, certificate checks, proxy) and connects it to the account's endpoint
    /// for the protocol, without signing in. The caller owns the client.
    /// </summary>
    internal async Task<(TClient Client, ServerResponseRecorder Recorder)> OpenAsync<TClient>(
        EmailAccount account,
        MailProtocol protocol,
        Func<IProtocolLogger, TClient> createClient,
        CancellationToken cancellationToken)
        where TClient : IMailService
    {
        ArgumentNullException.ThrowIfNull(account);
        var settings = _options.CurrentValue;
        var endpoint = account.GetEndpoint(protocol) ?? throw ProtocolNotEnabled(account, protocol);
        if (endpoint.TlsMode == MailTlsMode.None && !MailSecurity.ClearTextAllowed(endpoint, settings.AllowClearTextOnLoopback))
        {
            throw MailSecurity.Insecure(account, protocol, endpoint.ToString(), "the endpoint's TlsMode is None.");
        }

        if (settings.Timeout <= TimeSpan.Zero || settings.Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"MailConnectorOptions.Timeout is {settings.Timeout}; it must be positive and under 24 days.",
                "Set it with ConfigureMailConnector(o => o.Timeout = TimeSpan.FromMinutes(2)).");
        }

        var recorder = new ServerResponseRecorder(CreateProtocolLogger(account, protocol, settings));
        var client = createClient(recorder);
        try
        {
            client.Timeout = (int)settings.Timeout.TotalMilliseconds;
            if (settings.ServerCertificateValidationCallback is { } validate)
            {
                client.ServerCertificateValidationCallback = validate;
            }
            else if (settings.TrustedRootCertificates.Count > 0)
            {
                client.ServerCertificateValidationCallback = PrivateRootValidation.Create(settings.TrustedRootCertificates);
            }

            client.ProxyClient = settings.ProxySelector is { } select ? select(account, protocol) : settings.ProxyClient;
            await ConnectClientAsync(client, account, protocol, endpoint, cancellationToken).ConfigureAwait(false);
            LogConnected(_logger, account.Address, protocol, endpoint.ToString());
            return (client, recorder);
        }
        catch
        {
            await DisconnectQuietlyAsync(client).ConfigureAwait(false);
            client.Dispose();
            throw;
        }
    }

    /// <summary>Signs a client from <see cref="OpenAsync"/> in with the account's token (one fresh token retried on a refusal).</summary>
    /// <returns>The context of the sign-in, with the token that was sent.</returns>
    internal async Task<OAuthAuthenticationContext> SignInAsync(
        IMailService client,
        ServerResponseRecorder recorder,
        EmailAccount account,
        MailProtocol protocol,
        CancellationToken cancellationToken)
    {
        var endpoint = account.GetEndpoint(protocol) ?? throw ProtocolNotEnabled(account, protocol);
        var provider = _providers is null ? null : await _providers.FindAsync(account.CloudProviderName, cancellationToken).ConfigureAwait(false);
        var context = new OAuthAuthenticationContext(account, protocol, _tokenProvider)
        {
            Provider = provider,
            RefusalPolicy = _refusalPolicy,
            TimeProvider = _timeProvider,
            AllowClearTextOnLoopback = _options.CurrentValue.AllowClearTextOnLoopback,
            Reconnect = ct => ConnectClientAsync(client, account, protocol, endpoint, ct),
            LastServerLine = () => recorder.LastServerLine,
            Logger = _logger,
        };

        await OAuthAuthenticator.AuthenticateAsync(client, context, cancellationToken).ConfigureAwait(false);
        if (client is AccountSmtpClient smtp)
        {
            // The SMTP client checks From/Sender against the account's send permission before each message.
            smtp.Authentication = context;
        }

        return context;
    }

    private static async Task ConnectClientAsync(IMailService client, EmailAccount account, MailProtocol protocol, MailEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, endpoint.TlsMode.ToSecureSocketOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && MailConnectFailures.Translate(ex, account, protocol, endpoint, client.ProxyClient) is { } failure)
        {
            throw failure;
        }
        catch (NotSupportedException ex) when (endpoint.TlsMode == MailTlsMode.StartTls)
        {
            throw new ModernAuthException(
                ModernAuthErrorCategory.InsecureConnection,
                $"The {protocol.ToString().ToUpperInvariant()} server at {endpoint} does not offer STARTTLS, so no access token for {account.Address} is sent to it.",
                $"Check the {protocol} host and port of email account {account.Address} (Exchange Online: smtp.office365.com:587).",
                ex)
            {
                AccountAddress = account.Address,
                CloudProviderName = account.CloudProviderName,
            };
        }
    }

    // The token's identity may sign in yet have no access to the mailbox (Exchange: "BAD User is authenticated but not connected").
    // Asking for the INBOX's STATUS surfaces that now, with the fix, instead of on the host's first real command.
    internal static async Task VerifyImapAccessAsync(ImapClient client, OAuthAuthenticationContext context, CancellationToken cancellationToken)
    {
        try
        {
            await client.Inbox.StatusAsync(StatusItems.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (ImapCommandException ex) when (OAuthAuthenticator.Classify(context, ex) is { } failure)
        {
            throw OAuthAuthenticator.CreateException(context, failure, ex, context.SentToken, retried: false);
        }
    }

    internal static async Task DisconnectQuietlyAsync(IMailService client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the connection is being abandoned because of an earlier failure, which is what the caller sees.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<EmailAccount> FindAccountAsync(string accountAddress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountAddress);
        return await _accounts.FindAsync(accountAddress, cancellationToken).ConfigureAwait(false)
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"No email account with the address '{accountAddress}' is configured.",
                "Add it under XCallyModernAuth:EmailAccounts (Address and CloudProvider) or with AddEmailAccount(...), or register an IEmailAccountStore that knows it.")
            {
                AccountAddress = accountAddress,
            };
    }

    private static ModernAuthException ProtocolNotEnabled(EmailAccount account, MailProtocol protocol) =>
        new(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"{protocol} is disabled for email account {account.Address}.",
            $"Set {protocol}.Enabled to true for that account (XCallyModernAuth:EmailAccounts[].{protocol}:Enabled) to use it.")
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
        };

    private IProtocolLogger? CreateProtocolLogger(EmailAccount account, MailProtocol protocol, MailConnectorOptions settings)
    {
        var inner = settings.ProtocolLoggerFactory?.Invoke(account, protocol);
        if (inner is null && settings.LogProtocol)
        {
            inner = new LoggerProtocolLogger(_loggerFactory.CreateLogger(ProtocolLoggerCategory), account.Address, protocol);
        }

        return inner is null ? null : new RedactingProtocolLogger(inner);
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Debug, Message = "Connected {Account} over {Protocol} to {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string account, MailProtocol protocol, string endpoint);
}
