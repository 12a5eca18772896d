using System.Net.Sockets;
using System.Security.Authentication;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>
/// One client connection on one port. The base runs the session with its bounds (session age, TLS on connect, bad-command count)
/// and turns every way a client can break the connection into a quiet end; anything else is recorded as a fault.
/// </summary>
internal abstract partial class MailSession
{
    private readonly CancellationTokenSource _cancellation;
    private int _badCommands;

    protected MailSession(MailServerContext context, Socket socket, MailListenerKind kind, CancellationToken serverToken)
    {
        Context = context;
        Kind = kind;
        Connection = new MailConnection(socket, context.Options.ReadTimeout);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    protected MailServerContext Context { get; }

    protected MailListenerKind Kind { get; }

    protected MailConnection Connection { get; }

    protected string HostName => Context.Options.HostName;

    protected CancellationToken SessionToken => _cancellation.Token;

    /// <summary>The mailbox whose session slot this session holds, if any.</summary>
    protected EmulatorMailbox? ClaimedMailbox { get; private set; }

    /// <summary>Runs the session to its end; never throws.</summary>
    /// <param name="refuse">Whether the server is full and the session only says so.</param>
    /// <returns>A task.</returns>
    public async Task RunAsync(bool refuse)
    {
        using var maxAge = Context.Options.MaxSessionAge is { } age
            ? Context.TimeProvider.CreateTimer(_ => Abort(), null, age, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            if (Kind.ImplicitTls)
            {
                await Connection.StartTlsAsync(Context.Certificate, SessionToken).ConfigureAwait(false);
            }

            if (refuse)
            {
                await Connection.WriteAsync(RefusalText, SessionToken).ConfigureAwait(false);
                return;
            }

            await RunProtocolAsync(SessionToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            // The client went away, timed out, broke TLS, or the server dropped it.
        }
        catch (Exception ex)
        {
            Context.RecordFault(Kind.Protocol, ex);
        }
        finally
        {
            ReleaseMailbox();
            await Connection.DisposeAsync().ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }

    /// <summary>Drops the connection, as a server restart or network failure would.</summary>
    public void Abort()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended.
        }

        Connection.Abort();
    }

    /// <summary>The reply to a connection the server is too full to serve.</summary>
    protected abstract string RefusalText { get; }

    protected abstract Task RunProtocolAsync(CancellationToken cancellationToken);

    /// <summary>Writes one protocol line and its CRLF.</summary>
    /// <param name="line">The line, without its line break.</param>
    /// <param name="cancellationToken">Ends the write.</param>
    /// <returns>A task that completes when the line is written.</returns>
    protected Task ReplyAsync(string line, CancellationToken cancellationToken) => Connection.WriteAsync(line + "\r\n", cancellationToken);

    /// <summary>Counts an invalid command.</summary>
    /// <returns><see langword="true"/> when there were too many in a row and the session must end.</returns>
    protected bool CountBadCommand() => ++_badCommands >= Context.Options.MaxBadCommands;

    protected void ResetBadCommands() => _badCommands = 0;

    /// <summary>Takes one of the mailbox's session slots.</summary>
    /// <param name="mailbox">The mailbox.</param>
    /// <returns><see langword="false"/> when the mailbox has no free slot.</returns>
    protected bool TryClaimMailbox(EmulatorMailbox mailbox)
    {
        if (!Context.TryClaimMailbox(mailbox))
        {
            return false;
        }

        ClaimedMailbox = mailbox;
        return true;
    }

    private void ReleaseMailbox()
    {
        if (ClaimedMailbox is { } mailbox)
        {
            Context.ReleaseMailbox(mailbox);
            ClaimedMailbox = null;
        }
    }

    private static bool IsConnectionEnd(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException
        || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(IsConnectionEnd));
}
