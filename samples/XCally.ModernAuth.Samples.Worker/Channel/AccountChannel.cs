using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// Supervises one account's channel: runs its <see cref="ImapIdleSession"/> (which reconnects by itself after dropped connections
/// and refused tokens), or for an account with <c>Transport: Graph</c> its <see cref="GraphInboxPoller"/>, and, when either stops
/// for good, restarts it after a back-off of its own. Nothing one account does reaches the others: <see cref="RunAsync"/> never throws.
/// </summary>
public sealed class AccountChannel
{
    private readonly string _accountAddress;
    private readonly IMailClientConnector _connector;
    private readonly IEmailAccountStore _accounts;
    private readonly GraphInboxPoller _graphPoller;
    private readonly InboxProcessor _processor;
    private readonly AccountStatusBoard _board;
    private readonly EmailChannelOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private int _failuresInARow;

    /// <summary>Creates the channel of one account.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="connector">Connects and signs in with fresh tokens.</param>
    /// <param name="accounts">The configured accounts (the account's transport).</param>
    /// <param name="transports">The SDK's mail transports, for accounts on Microsoft Graph.</param>
    /// <param name="stateStore">Where the highest handled UID is kept.</param>
    /// <param name="handler">What is done with each message.</param>
    /// <param name="board">Where the account's status is reported.</param>
    /// <param name="options">The channel's settings.</param>
    /// <param name="timeProvider">The clock for IDLE restarts and back-offs.</param>
    /// <param name="loggerFactory">Creates the loggers.</param>
    public AccountChannel(
        string accountAddress,
        IMailClientConnector connector,
        IEmailAccountStore accounts,
        IMailTransports transports,
        IChannelStateStore stateStore,
        IMessageHandler handler,
        AccountStatusBoard board,
        IOptions<EmailChannelOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _accountAddress = accountAddress;
        _connector = connector;
        _accounts = accounts;
        _board = board;
        _options = options.Value;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _processor = new InboxProcessor(accountAddress, stateStore, handler, loggerFactory.CreateLogger<InboxProcessor>());
        _graphPoller = new GraphInboxPoller(accountAddress, transports, handler, board, _options.GraphPollInterval, timeProvider, loggerFactory.CreateLogger<GraphInboxPoller>());
    }

    /// <summary>Serves the account until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="stoppingToken">The host's stopping token.</param>
    /// <returns>A task that ends, without an exception, once the account has stopped.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ImapIdleSession? session = null;
            TimeSpan restartIn;
            try
            {
                var account = await _accounts.FindAsync(_accountAddress, stoppingToken);
                if (account?.Transport == MailTransport.Graph)
                {
                    await _graphPoller.RunAsync(stoppingToken);
                }
                else
                {
                    session = new ImapIdleSession(_connector, _accountAddress, _options.Idle, _timeProvider, _loggerFactory.CreateLogger<ImapIdleSession>());
                    session.StateChanged += OnSessionStateChanged;
                    await session.RunAsync((notification, ct) => _processor.ProcessNewMessagesAsync(notification.Inbox, ct), stoppingToken);
                }

                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Supervision: whatever stopped this account must not stop the others or the host.
            catch (Exception error)
#pragma warning restore CA1031
            {
                restartIn = RestartDelay(++_failuresInARow);
                _board.Report(_accountAddress, AccountStatus.Failed, error, restartIn);
            }
            finally
            {
                if (session is not null)
                {
                    session.StateChanged -= OnSessionStateChanged;
                }
            }

            try
            {
                await Task.Delay(restartIn, _timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _board.Report(_accountAddress, AccountStatus.Stopped);
    }

    private TimeSpan RestartDelay(int failures)
    {
        var doubled = _options.InitialRestartDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        return doubled < _options.MaxRestartDelay ? doubled : _options.MaxRestartDelay;
    }

    private void OnSessionStateChanged(object? sender, ImapIdleStateChangedEventArgs e)
    {
        switch (e.State)
        {
            case ImapIdleSessionState.Connecting:
                _board.Report(_accountAddress, AccountStatus.Connecting);
                break;
            case ImapIdleSessionState.Processing:
                _board.Report(_accountAddress, AccountStatus.Connected);
                break;
            case ImapIdleSessionState.Idle:
                _failuresInARow = 0;
                _board.Report(_accountAddress, AccountStatus.Idle);
                break;
            case ImapIdleSessionState.WaitingToReconnect:
                _board.Report(_accountAddress, AccountStatus.Reconnecting, e.Error, e.ReconnectDelay);
                break;

                // Faulted is reported by RunAsync with the restart delay; Stopped once the whole account stops.
        }
    }
}
