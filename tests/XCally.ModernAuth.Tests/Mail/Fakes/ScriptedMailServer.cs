using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace XCally.ModernAuth.Tests.Mail.Fakes;

/// <summary>
/// A mail server on 127.0.0.1 that replays one <see cref="ServerScript"/> per accepted connection, in order, optionally behind TLS
/// from the first byte (with <see cref="TestCertificate"/>). Records every line clients send, to assert on the wire format.
/// </summary>
internal sealed partial class ScriptedMailServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<ServerScript> _scripts = new();
    private readonly ConcurrentQueue<string> _clientLines = new();
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _implicitTls;
    private readonly X509Certificate2 _certificate;
    private readonly Task _acceptLoop;
    private int _connections;

    private ScriptedMailServer(bool implicitTls, X509Certificate2? certificate = null)
    {
        _implicitTls = implicitTls;
        _certificate = certificate ?? TestCertificate.Server;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The lines clients sent, over all connections, without line ends.</summary>
    public IReadOnlyList<string> ClientLines => [.. _clientLines];

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Errors of the server itself (not of the clients), for a failing test's message.</summary>
    public IReadOnlyList<Exception> Errors => [.. _errors];

    public static ScriptedMailServer Start(bool implicitTls, params ServerScript[] scripts) => StartWith(null, implicitTls, scripts);

    /// <summary>Starts a server whose TLS uses <paramref name="certificate"/> (one issued by a test CA, say) instead of <see cref="TestCertificate"/>.</summary>
    public static ScriptedMailServer StartWith(X509Certificate2? certificate, bool implicitTls, params ServerScript[] scripts)
    {
        var server = new ScriptedMailServer(implicitTls, certificate);
        foreach (var script in scripts)
        {
            server._scripts.Enqueue(script);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                sessions.Add(ServeAsync(socket));
            }
        }
        finally
        {
            await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private async Task ServeAsync(TcpClient socket)
    {
        using var _ = socket;
        Stream stream = socket.GetStream();
        try
        {
            if (!_scripts.TryDequeue(out var script))
            {
                return;
            }

            if (_implicitTls)
            {
                stream = await UpgradeAsync(stream);
            }

            await WriteLineAsync(stream, script.Greeting);
            var tag = string.Empty;
            while (await ReadLineAsync(stream) is { } line)
            {
                _clientLines.Enqueue(line);
                if (ImapTag().Match(line) is { Success: true } tagged)
                {
                    tag = tagged.Groups[1].Value;
                }

                var rule = script.Match(line);
                foreach (var reply in rule?.Replies ?? [script.UnmatchedReply])
                {
                    await WriteLineAsync(stream, reply.Replace("{tag}", tag, StringComparison.Ordinal));
                }

                if (rule?.Action == ScriptAction.HangUp)
                {
                    return;
                }

                if (rule?.Action == ScriptAction.StartTls)
                {
                    stream = await UpgradeAsync(stream);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up or the test ended: the end of this conversation.
        }
#pragma warning disable CA1031 // Kept for the test's failure message instead of an unobserved task exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _errors.Enqueue(ex);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private async Task<Stream> UpgradeAsync(Stream stream)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
        return tls;
    }

    private async Task WriteLineAsync(Stream stream, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        await stream.WriteAsync(bytes, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    // Byte by byte, so nothing past the line (such as a TLS handshake after STARTTLS) is read into a buffer.
    private async Task<string?> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, _stop.Token);
            if (read == 0)
            {
                return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            }

            line.Add(one[0]);
        }
    }

    [GeneratedRegex(@"^([A-Za-z]+\d+) ")]
    private static partial Regex ImapTag();
}
