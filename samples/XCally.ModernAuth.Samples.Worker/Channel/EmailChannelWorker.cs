using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// The email channel of a contact center: one supervised <see cref="AccountChannel"/> per account, all running until the host
/// stops. The host's stopping token flows into every IMAP session, so Ctrl+C ends them all cleanly.
/// </summary>
public sealed partial class EmailChannelWorker : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly IEmailAccountStore _accounts;
    private readonly EmailChannelOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the worker.</summary>
    /// <param name="services">Creates each account's channel.</param>
    /// <param name="accounts">The configured email accounts.</param>
    /// <param name="options">Which accounts to serve.</param>
    /// <param name="logger">Where the worker logs.</param>
    public EmailChannelWorker(IServiceProvider services, IEmailAccountStore accounts, IOptions<EmailChannelOptions> options, ILogger<EmailChannelWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _accounts = accounts;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var addresses = await AccountsToServeAsync(stoppingToken);
        if (addresses.Count == 0)
        {
            LogNoAccounts(_logger);
            return;
        }

        LogStarting(_logger, addresses.Count, string.Join(", ", addresses));
        var channels = addresses.Select(address => ActivatorUtilities.CreateInstance<AccountChannel>(_services, address));
        await Task.WhenAll(channels.Select(channel => channel.RunAsync(stoppingToken)));
        LogStopped(_logger);
    }

    private async Task<IReadOnlyList<string>> AccountsToServeAsync(CancellationToken cancellationToken)
    {
        if (_options.Accounts.Count > 0)
        {
            return [.. _options.Accounts.Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        var configured = await _accounts.ListAsync(cancellationToken);
        return [.. configured.Where(account => account.Imap is not null || account.Transport == MailTransport.Graph).Select(account => account.Address)];
    }
}
