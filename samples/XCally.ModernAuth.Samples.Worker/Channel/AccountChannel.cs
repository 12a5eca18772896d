using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// Supervises one account's channel: runs its <see cref="ImapIdleSession"/> (which reconnects by itself after dropped connections
/// and refused tokens) and, when the session stops for good, restarts it after a back-off of its own. Nothing one account does
/// reaches the others: <see cref="RunAsync"/> never throws.
/// </summary>
public sealed class AccountChannel
{
    private readonly string accountAddress;
    private readonly IMailClientConnector connector;
    private readonly InboxProcessor processor;
    private readonly AccountStatusBoard board;
    private readonly EmailChannelOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private int failuresInARow;

    /// <summary>Creates the channel of one account.</summary>
    /// <param name="accountAddress">The account.</param>
    /// <param name="connector">Connects and signs in with fresh tokens.</param>
    /// <param name="stateStore">Where the highest handled UID is kept.</param>
    /// <param name="handler">What is done with each message.</param>
    /// <param name="board">Where the account's status is reported.</param>
    /// <param name="options">The channel's settings.</param>
    /// <param name="timeProvider">The clock for IDLE restarts and back-offs.</param>
    /// <param name="loggerFactory">Creates the loggers.</param>
    public AccountChannel(
        string accountAddress,
        IMailClientConnector connector,
        IChannelStateStore stateStore,
        IMessageHandler handler,
        AccountStatusBoard board,
        IOptions<EmailChannelOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.accountAddress = accountAddress;
        this.connector = connector;
        this.board = board;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        processor = new InboxProcessor(accountAddress, stateStore, handler, loggerFactory.CreateLogger<InboxProcessor>());
    }

    /// <summary>Serves the account until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="stoppingToken">The host's stopping token.</param>
    /// <returns>A task that ends, without an exception, once the account has stopped.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var session = new ImapIdleSession(connector, accountAddress, options.Idle, timeProvider, loggerFactory.CreateLogger<ImapIdleSession>());
            session.StateChanged += OnSessionStateChanged;
            TimeSpan restartIn;
            try
            {
                await session.RunAsync((notification, ct) => processor.ProcessNewMessagesAsync(notification.Inbox, ct), stoppingToken);
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
                restartIn = RestartDelay(++failuresInARow);
                board.Report(accountAddress, AccountStatus.Failed, error, restartIn);
            }
            finally
            {
                session.StateChanged -= OnSessionStateChanged;
            }

            try
            {
                await Task.Delay(restartIn, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        board.Report(accountAddress, AccountStatus.Stopped);
    }

    private TimeSpan RestartDelay(int failures)
    {
        var doubled = options.InitialRestartDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        return doubled < options.MaxRestartDelay ? doubled : options.MaxRestartDelay;
    }

    private void OnSessionStateChanged(object? sender, ImapIdleStateChangedEventArgs e)
    {
        switch (e.State)
        {
            case ImapIdleSessionState.Connecting:
                board.Report(accountAddress, AccountStatus.Connecting);
                break;
            case ImapIdleSessionState.Processing:
                board.Report(accountAddress, AccountStatus.Connected);
                break;
            case ImapIdleSessionState.Idle:
                failuresInARow = 0;
                board.Report(accountAddress, AccountStatus.Idle);
                break;
            case ImapIdleSessionState.WaitingToReconnect:
                board.Report(accountAddress, AccountStatus.Reconnecting, e.Error, e.ReconnectDelay);
                break;

            // Faulted is reported by RunAsync with the restart delay; Stopped once the whole account stops.
        }
    }
}
