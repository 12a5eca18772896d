using Microsoft.Extensions.Primitives;

namespace XCally.ModernAuth.Samples.Web.Status;

/// <summary>
/// Keeps an IMAP IDLE session (<see cref="ImapIdleSession"/>) on the INBOX of every account marked "watch inbox", as a mail channel
/// would, and reports its state and each sign-in to the <see cref="AccountActivity"/> board. It follows the stores' change signal:
/// an account added, changed or deleted gets its session started, restarted or stopped.
/// </summary>
public sealed class InboxWatcher(
    IEmailAccountStore accounts,
    IMailClientConnector connector,
    AccountActivity activity,
    TimeProvider timeProvider,
    ILoggerFactory loggers,
    WatchedAccounts watched) : BackgroundService
{
    private readonly Dictionary<string, (EmailAccount Account, CancellationTokenSource Stop, Task Run)> _sessions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger = loggers.CreateLogger<InboxWatcher>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = new SemaphoreSlim(1);
        using var subscription = ChangeToken.OnChange(() => accounts.GetChangeToken() ?? new CancellationChangeToken(CancellationToken.None), () => changed.Release());
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changed.WaitAsync(stoppingToken);
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogError(exception, "The watched inboxes could not be brought up to date; the next change tries again.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var address in _sessions.Keys.ToArray())
            {
                await StopAsync(address);
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var wanted = new Dictionary<string, EmailAccount>(StringComparer.OrdinalIgnoreCase);
        var marked = await watched.ListAsync(stoppingToken);
        foreach (var account in await accounts.ListAsync(stoppingToken))
        {
            if (account.Imap is not null && marked.Contains(account.Address))
            {
                wanted[account.Address] = account;
            }
        }

        foreach (var (address, session) in _sessions.ToArray())
        {
            if (!wanted.TryGetValue(address, out var account) || !account.Equals(session.Account))
            {
                await StopAsync(address);
            }
        }

        foreach (var (address, account) in wanted)
        {
            if (!_sessions.ContainsKey(address))
            {
                Start(account, stoppingToken);
            }
        }
    }

    private void Start(EmailAccount account, CancellationToken stoppingToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var session = new ImapIdleSession(connector, account.Address, timeProvider: timeProvider, logger: loggers.CreateLogger<ImapIdleSession>());
        session.StateChanged += (_, change) =>
        {
            activity.RecordIdle(account.Address, change.State, (change.Error as ModernAuthException)?.Message ?? change.Error?.GetType().Name);
            if (change.State == ImapIdleSessionState.WaitingToReconnect && change.Error is ModernAuthException refused)
            {
                activity.RecordSignIn(account.Address, MailProtocol.Imap, succeeded: false, refused.Message);
            }
        };
        var run = Task.Run(
            async () =>
            {
                try
                {
                    await session.RunAsync(
                        (notification, _) =>
                        {
                            activity.RecordSignIn(account.Address, MailProtocol.Imap, succeeded: true, $"IDLE on INBOX ({notification.Inbox.Count} message(s)).");
                            return Task.CompletedTask;
                        },
                        stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception exception)
                {
                    _logger.LogWarning("The inbox watch of {Account} stopped: {Reason}", account.Address, exception.Message);
                }
            },
            CancellationToken.None);
        _sessions[account.Address] = (account, stop, run);
    }

    private async Task StopAsync(string address)
    {
        if (_sessions.Remove(address, out var session))
        {
            await session.Stop.CancelAsync();
            await session.Run;
            session.Stop.Dispose();
            activity.RecordIdle(address, ImapIdleSessionState.Stopped, null);
        }
    }
}
