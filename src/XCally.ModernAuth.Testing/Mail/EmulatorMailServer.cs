using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using XCally.ModernAuth.Testing.Mail.Imap;
using XCally.ModernAuth.Testing.Mail.Internal;
using XCally.ModernAuth.Testing.Mail.Pop3;
using XCally.ModernAuth.Testing.Mail.Smtp;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// IMAP, POP3 and SMTP submission servers on loopback that behave like Exchange Online's: they accept only SASL XOAUTH2 and OAUTHBEARER
/// with a token from the emulator's identity platform, check it as Exchange does, and refuse in Exchange's words. Mail submitted over
/// SMTP is delivered to the recipients' <see cref="EmulatorMailbox"/> and can be read over IMAP and POP3.
/// </summary>
/// <remarks>
/// Each protocol listens on its own port: IMAP and POP3 with TLS from the first byte (like 993 and 995) and with STARTTLS, SMTP with
/// STARTTLS (like smtp.office365.com:587) and with TLS from the first byte. Authentication is offered only once TLS is up.
/// </remarks>
public sealed class EmulatorMailServer : IAsyncDisposable
{
    private readonly MailServerContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<MailListenerKind, TcpListener> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<MailSession, Task> _sessions = new();
    private int _connections;
    private int _disposed;

    private EmulatorMailServer(MailServerContext context)
    {
        _context = context;
    }

    /// <summary>The server name in greetings and replies.</summary>
    public string HostName => _context.Options.HostName;

    /// <summary>The IMAP port with TLS from the first byte (like 993).</summary>
    public int ImapPort => Port(MailProtocol.Imap, implicitTls: true);

    /// <summary>The IMAP port with STARTTLS (like 143).</summary>
    public int ImapStartTlsPort => Port(MailProtocol.Imap, implicitTls: false);

    /// <summary>The POP3 port with TLS from the first byte (like 995).</summary>
    public int Pop3Port => Port(MailProtocol.Pop3, implicitTls: true);

    /// <summary>The POP3 port with STARTTLS (STLS, like 110).</summary>
    public int Pop3StartTlsPort => Port(MailProtocol.Pop3, implicitTls: false);

    /// <summary>The SMTP submission port with STARTTLS (like smtp.office365.com:587).</summary>
    public int SmtpPort => Port(MailProtocol.Smtp, implicitTls: false);

    /// <summary>The SMTP submission port with TLS from the first byte (like 465, which Exchange Online does not offer).</summary>
    public int SmtpImplicitTlsPort => Port(MailProtocol.Smtp, implicitTls: true);

    /// <summary>How many client connections are open now.</summary>
    public int ActiveConnections => Volatile.Read(ref _connections);

    /// <summary>How many sessions ended with an unexpected server error (a bug); a client's misbehaviour never counts.</summary>
    public int FaultedSessions => _context.FaultCount;

    /// <summary>Starts the servers on 127.0.0.1, each on a free port.</summary>
    /// <param name="directory">The tenants, applications and mailboxes.</param>
    /// <param name="signingKey">The key the emulator's identity platform signs tokens with.</param>
    /// <param name="certificate">The TLS server certificate, with its private key; clients must trust it.</param>
    /// <param name="timeProvider">The clock for token lifetimes, internal dates and session limits; the system clock when omitted.</param>
    /// <param name="options">Limits and behaviour; the defaults when omitted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running servers; dispose them to stop.</returns>
    public static Task<EmulatorMailServer> StartAsync(
        EmulatorDirectory directory,
        EmulatorSigningKey signingKey,
        X509Certificate2 certificate,
        TimeProvider? timeProvider = null,
        EmulatorMailServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The TLS certificate {certificate.Subject} has no private key; the servers need it to accept TLS.", nameof(certificate));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var settings = (options ?? new EmulatorMailServerOptions()).Clone();
        settings.Validate();
        var server = new EmulatorMailServer(new MailServerContext(directory, signingKey, certificate, timeProvider ?? TimeProvider.System, settings));
        try
        {
            foreach (var protocol in new[] { MailProtocol.Imap, MailProtocol.Pop3, MailProtocol.Smtp })
            {
                foreach (var implicitTls in new[] { true, false })
                {
                    server.Listen(new MailListenerKind(protocol, implicitTls));
                }
            }
        }
        catch
        {
            server.StopListening();
            throw;
        }

        return Task.FromResult(server);
    }

    /// <summary>The endpoint Exchange Online uses for a protocol: IMAP and POP3 with implicit TLS, SMTP with STARTTLS.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The endpoint on 127.0.0.1.</returns>
    public MailEndpoint GetEndpoint(MailProtocol protocol) =>
        GetEndpoint(protocol, protocol == MailProtocol.Smtp ? MailTlsMode.StartTls : MailTlsMode.Implicit);

    /// <summary>The endpoint of a protocol with a given kind of TLS.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="tlsMode"><see cref="MailTlsMode.Implicit"/> or <see cref="MailTlsMode.StartTls"/>; the servers never run without TLS.</param>
    /// <returns>The endpoint on 127.0.0.1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tlsMode"/> is <see cref="MailTlsMode.None"/>.</exception>
    public MailEndpoint GetEndpoint(MailProtocol protocol, MailTlsMode tlsMode)
    {
        if (tlsMode is not (MailTlsMode.Implicit or MailTlsMode.StartTls))
        {
            throw new ArgumentOutOfRangeException(nameof(tlsMode), tlsMode, "The emulator's mail servers always use TLS: ask for Implicit or StartTls.");
        }

        return new MailEndpoint(IPAddress.Loopback.ToString(), Port(protocol, tlsMode == MailTlsMode.Implicit), tlsMode);
    }

    /// <summary>How many authentications a protocol's servers accepted and refused so far.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The counts.</returns>
    public MailAuthenticationCounts GetAuthenticationCounts(MailProtocol protocol) => _context.GetCounts(protocol);

    /// <summary>Drops every open connection at once, as a server restart or network failure would (for instance during IMAP IDLE).</summary>
    public void DisconnectAll()
    {
        foreach (var session in _sessions.Keys)
        {
            session.Abort();
        }
    }

    /// <summary>Stops listening, drops every connection and waits for the sessions to end.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        StopListening();
        DisconnectAll();
        await Task.WhenAll(_acceptLoops.Concat(_sessions.Values)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private int Port(MailProtocol protocol, bool implicitTls) =>
        ((IPEndPoint)_listeners[new MailListenerKind(protocol, implicitTls)].LocalEndpoint).Port;

    private void Listen(MailListenerKind kind)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);

        // A backlog as deep as the connection limit: a thousand clients reconnecting at once are queued, not dropped at SYN.
        listener.Start(backlog: Math.Max(128, _context.Options.MaxConnections));
        _listeners[kind] = listener;
        _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, kind)));
    }

    private void StopListening()
    {
        foreach (var listener in _listeners.Values)
        {
            listener.Stop();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, MailListenerKind kind)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(token).ConfigureAwait(false);

                // A reply is often an untagged line and a tagged one written apart: without this, Nagle's algorithm holds the
                // second until the client's delayed ACK, about 40 ms per command.
                socket.NoDelay = true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var count = Interlocked.Increment(ref _connections);
            var refuse = count > _context.Options.MaxConnections;
            if (count > 2 * _context.Options.MaxConnections)
            {
                // Far over the limit: not even a refusal, so a flood cannot make the server do TLS handshakes without bound.
                socket.Close(0);
                Interlocked.Decrement(ref _connections);
                continue;
            }

            MailSession session = kind.Protocol switch
            {
                MailProtocol.Imap => new ImapSession(_context, socket, kind, token),
                MailProtocol.Pop3 => new Pop3Session(_context, socket, kind, token),
                _ => new SmtpSession(_context, socket, kind, token),
            };
            // Registered before it runs, so its own removal at the end always finds it.
            var run = new Task<Task>(() => RunSessionAsync(session, refuse));
            _sessions[session] = run.Unwrap();
            run.Start(TaskScheduler.Default);
        }
    }

    private async Task RunSessionAsync(MailSession session, bool refuse)
    {
        try
        {
            await session.RunAsync(refuse).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            _sessions.TryRemove(session, out _);
        }
    }
}
