using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XCally.ModernAuth.Internal;

namespace XCally.ModernAuth;

/// <summary>
/// Keeps an IMAP IDLE session on an account's INBOX open for as long as the host runs, and calls the host's handler when new messages
/// arrive. IDLE is restarted before the server's idle timeout; when the server drops the session or refuses the token (tokens end
/// after about an hour), the session reconnects and signs in with a fresh token, waiting an exponentially growing, jittered delay
/// between attempts (at least what a busy server asked for). It stops in <see cref="ImapIdleSessionState.Faulted"/>, with the
/// error in <see cref="LastError"/>, on what waiting cannot fix: a configuration error, no TLS, an unsupported server, a sign-in
/// that must be renewed by a person, a protocol switched off, a mailbox that refused a fresh token too. The host owns the session
/// and stops it with the cancellation token given to <see cref="RunAsync"/>.
/// </summary>
public sealed partial class ImapIdleSession
{
    private readonly IMailClientConnector _connector;
    private readonly ImapIdleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private int _running;
    private int _state;
    private Exception? _lastError;

    /// <summary>Creates a session; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="connector">Connects and signs in.</param>
    /// <param name="accountAddress">The account whose INBOX is watched.</param>
    /// <param name="options">IDLE and reconnect settings; defaults if <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for IDLE restarts and back-off; the system clock if <see langword="null"/>.</param>
    /// <param name="logger">Where state changes are logged.</param>
    public ImapIdleSession(IMailClientConnector connector, string accountAddress, ImapIdleOptions? options = null, TimeProvider? timeProvider = null, ILogger<ImapIdleSession>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountAddress);
        _connector = connector;
        AccountAddress = accountAddress;
        _options = options ?? new ImapIdleOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        // The SDK's connector keeps a weak list of its sessions, for the health checks to report their state.
        (connector as MailClientConnector)?.Activity?.Track(this);
    }

    /// <summary>Raised on every state change, on the session's own task; keep handlers short and do not throw.</summary>
    public event EventHandler<ImapIdleStateChangedEventArgs>? StateChanged;

    /// <summary>The watched account.</summary>
    public string AccountAddress { get; }

    /// <summary>What the session is doing now.</summary>
    public ImapIdleSessionState State => (ImapIdleSessionState)Volatile.Read(ref _state);

    /// <summary>
    /// The error of the last failed attempt, or the one that stopped the session in <see cref="ImapIdleSessionState.Faulted"/>;
    /// <see langword="null"/> while connected. A <see cref="ModernAuthException"/> names its cause and fix.
    /// </summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>
    /// Runs the session until <paramref name="cancellationToken"/> is cancelled. The handler is called after every (re)connect, to
    /// catch up, and whenever the server reports new messages; it runs between IDLE commands, so it may use the client freely.
    /// </summary>
    /// <param name="onNewMessages">The host's handler.</param>
    /// <param name="cancellationToken">Stops the session.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when stopped, or with the error that reconnecting cannot fix.</returns>
    /// <exception cref="InvalidOperationException">The session is already running.</exception>
    public async Task RunAsync(Func<ImapIdleNotification, CancellationToken, Task> onNewMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onNewMessages);
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"The IMAP IDLE session of {AccountAddress} is already running.");
        }

        try
        {
            var attempt = 0;
            var trigger = ImapIdleTrigger.Connected;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan delay;
                ImapClient? client = null;
                try
                {
                    SetState(ImapIdleSessionState.Connecting, attempt, null, null);
                    client = await _connector.ConnectImapAsync(AccountAddress, cancellationToken).ConfigureAwait(false);
                    var inbox = client.Inbox;
                    await inbox.OpenAsync(_options.FolderAccess, cancellationToken).ConfigureAwait(false);
                    attempt = 0;
                    await WatchAsync(client, inbox, trigger, onNewMessages, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsRecoverable(ex))
                {
                    attempt++;
                    delay = ReconnectBackoff.Delay(attempt, _options.InitialReconnectDelay, _options.MaxReconnectDelay, Random.Shared.NextDouble());

                    // A busy server that named its wait is not asked again sooner.
                    if (ex is ModernAuthException { RetryAfter: { } retryAfter } && retryAfter > delay)
                    {
                        delay = retryAfter;
                    }

                    trigger = ImapIdleTrigger.Reconnected;
                    LogReconnecting(_logger, ex, AccountAddress, attempt, delay);
                    SetState(ImapIdleSessionState.WaitingToReconnect, attempt, delay, ex);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    // Stopping may break the connection mid-command; the caller asked to stop, so that is what it hears.
                    throw new OperationCanceledException("The IMAP IDLE session was stopped.", ex, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogFaulted(_logger, ex, AccountAddress);
                    SetState(ImapIdleSessionState.Faulted, attempt, null, ex);
                    throw;
                }
                finally
                {
                    if (client is not null)
                    {
                        await CloseQuietlyAsync(client).ConfigureAwait(false);
                    }
                }

                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (State != ImapIdleSessionState.Faulted)
            {
                SetState(ImapIdleSessionState.Stopped, 0, null, null);
            }

            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Whether reconnecting may fix an error: a dropped or broken connection, a busy server, a refused or unobtainable token (it may
    /// be renewed). What needs a change by a person is not retried: configuration, TLS and server-capability errors, a delegated
    /// sign-in that must be renewed (each attempt would redeem a dead refresh token), a protocol switched off, a mailbox that
    /// refused a fresh token too.
    /// </summary>
    /// <param name="exception">The error.</param>
    /// <returns><see langword="true"/> when the session should reconnect.</returns>
    internal static bool IsRecoverable(Exception exception) => exception switch
    {
        ModernAuthException
        {
            Category: ModernAuthErrorCategory.InvalidConfiguration or ModernAuthErrorCategory.InsecureConnection or ModernAuthErrorCategory.UnsupportedServer
                or ModernAuthErrorCategory.ReauthorizationRequired or ModernAuthErrorCategory.ProtocolDisabled or ModernAuthErrorCategory.MailboxPermissionDenied
                or ModernAuthErrorCategory.WrongUserSignedIn,
        } => false,
        ModernAuthException => true,
        IOException or SocketException or TimeoutException => true,
        ServiceNotConnectedException or ImapProtocolException or ImapCommandException or AuthenticationException or SslHandshakeException => true,
        _ => false,
    };

    private async Task WatchAsync(ImapClient client, IMailFolder inbox, ImapIdleTrigger trigger, Func<ImapIdleNotification, CancellationToken, Task> onNewMessages, CancellationToken cancellationToken)
    {
        var known = inbox.Count;
        var arrived = 0;
        CancellationTokenSource? stopIdle = null;

        void OnCountChanged(object? sender, EventArgs e)
        {
            // Only growth means new mail; EXPUNGE lowers the count. Ending IDLE lets the handler run commands.
            if (inbox.Count > known)
            {
                Volatile.Write(ref arrived, 1);
                Volatile.Read(ref stopIdle)?.Cancel();
            }

            known = inbox.Count;
        }

        inbox.CountChanged += OnCountChanged;
        try
        {
            SetState(ImapIdleSessionState.Processing, 0, null, null);
            await onNewMessages(new ImapIdleNotification(client, inbox, trigger), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (Interlocked.Exchange(ref arrived, 0) == 1)
                {
                    SetState(ImapIdleSessionState.Processing, 0, null, null);
                    await onNewMessages(new ImapIdleNotification(client, inbox, ImapIdleTrigger.NewMessages), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                SetState(ImapIdleSessionState.Idle, 0, null, null);
                if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    await Task.Delay(_options.PollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
                    await client.NoOpAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using var done = new CancellationTokenSource(_options.IdleRestartInterval, _timeProvider);
                Volatile.Write(ref stopIdle, done);
                try
                {
                    if (Volatile.Read(ref arrived) == 0)
                    {
                        await client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    Volatile.Write(ref stopIdle, null);
                }
            }
        }
        finally
        {
            inbox.CountChanged -= OnCountChanged;
        }
    }

    private static async Task CloseQuietlyAsync(ImapClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The session is already ending or reconnecting for another reason; a failed LOGOUT changes nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private void SetState(ImapIdleSessionState next, int attempt, TimeSpan? delay, Exception? error)
    {
        if (error is not null || next is ImapIdleSessionState.Idle or ImapIdleSessionState.Processing)
        {
            Volatile.Write(ref _lastError, error);
        }

        var previous = (ImapIdleSessionState)Interlocked.Exchange(ref _state, (int)next);
        if (previous == next && error is null)
        {
            return;
        }

        LogState(_logger, AccountAddress, next);
        StateChanged?.Invoke(this, new ImapIdleStateChangedEventArgs(next, attempt, delay, error));
    }
}
