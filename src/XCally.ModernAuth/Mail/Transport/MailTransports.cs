using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// The default <see cref="IMailTransports"/>: one transport per account, kept while the account's settings are unchanged, and
/// the accounts of <see cref="MailTransport.Auto"/> that switched to Graph for sending.
/// </summary>
internal sealed partial class MailTransports(
    IEmailAccountStore accounts,
    IMailClientConnector connector,
    IMailCursorStore cursors,
    IEnumerable<IMailTransportFactory> factories,
    ILogger<MailTransports> logger) : IMailTransports
{
    // The 8.0 logging generator needs a field, not a primary constructor parameter.
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<string, IMailTransport> _transports = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _sendThroughGraph = new(StringComparer.OrdinalIgnoreCase);
    private readonly IMailTransportFactory? _graph = factories.LastOrDefault(factory => factory.Transport == MailTransport.Graph);

    public async ValueTask<IMailTransport> GetAsync(string accountAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountAddress);
        var account = await accounts.FindAsync(accountAddress, cancellationToken).ConfigureAwait(false)
            ?? throw new ModernAuthException(
                ModernAuthErrorCategory.InvalidConfiguration,
                $"No email account '{accountAddress}' is configured.",
                "Add it under EmailAccounts with its CloudProvider.")
            {
                AccountAddress = accountAddress,
            };
        return Get(account);
    }

    public IMailTransport Get(EmailAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (_transports.TryGetValue(account.Address, out var existing) && existing.Account.Equals(account))
        {
            return existing;
        }

        var created = Create(account);
        _transports[account.Address] = created;
        return created;
    }

    internal bool SendsThroughGraph(string accountAddress) => _sendThroughGraph.ContainsKey(accountAddress);

    internal void SwitchToGraph(EmailAccount account, ModernAuthException refusal)
    {
        if (_sendThroughGraph.TryAdd(account.Address, 0))
        {
            LogSwitchedToGraph(account.Address, refusal.ServerResponse ?? refusal.Message);
        }
    }

    private IMailTransport Create(EmailAccount account) => account.Transport switch
    {
        MailTransport.Imap => new ImapSmtpMailTransport(account, connector, cursors),
        MailTransport.Graph => RequireGraph(account).Create(account),
        MailTransport.Auto => new AutoMailTransport(new ImapSmtpMailTransport(account, connector, cursors), () => RequireGraph(account).Create(account), this),
        _ => throw new ModernAuthException(ModernAuthErrorCategory.InvalidConfiguration, $"Email account '{account.Address}' has an unknown Transport '{account.Transport}'.", "Use Imap, Graph or Auto."),
    };

    private IMailTransportFactory RequireGraph(EmailAccount account) =>
        _graph ?? throw new ModernAuthException(
            ModernAuthErrorCategory.InvalidConfiguration,
            $"Email account '{account.Address}' uses Transport {account.Transport}, which needs Microsoft Graph, but no Graph transport is registered.",
            TransportRegistrationValidator.GraphAdvice)
        {
            AccountAddress = account.Address,
            CloudProviderName = account.CloudProviderName,
        };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "SMTP AUTH is disabled for {Account} ({Response}): it sends through Microsoft Graph from now on (Transport Auto).")]
    private partial void LogSwitchedToGraph(string account, string response);
}
