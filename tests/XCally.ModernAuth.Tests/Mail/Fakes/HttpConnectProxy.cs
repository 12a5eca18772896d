using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XCally.ModernAuth.Tests.Mail.Fakes;

/// <summary>
/// A minimal HTTP CONNECT proxy on 127.0.0.1 (RFC 9110 9.3.6): reads the CONNECT request, answers 200, then relays bytes both
/// ways. Records each CONNECT target so a test can see the connection went through it. Only loopback targets are relayed.
/// </summary>
internal sealed class HttpConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly Task _acceptLoop;

    public HttpConnectProxy()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The <c>host:port</c> of every CONNECT request, in order.</summary>
    public IReadOnlyList<string> Targets => [.. _targets];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var relays = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                relays.Add(RelayAsync(await _listener.AcceptTcpClientAsync(_stop.Token)));
            }
        }
        finally
        {
            await Task.WhenAll(relays).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = await ReadHeadAsync(stream);
            var parts = request.Split('\n')[0].Trim().Split(' ');
            if (parts.Length < 2 || parts[0] != "CONNECT" || !TryLoopback(parts[1], out var port))
            {
                await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\n\r\n"u8.ToArray(), _stop.Token);
                return;
            }

            _targets.Enqueue(parts[1]);
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
            await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), _stop.Token);
            var upstreamStream = upstream.GetStream();
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            await Task.WhenAny(stream.CopyToAsync(upstreamStream, done.Token), upstreamStream.CopyToAsync(stream, done.Token));
            await done.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side hung up.
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
        {
            if (await stream.ReadAsync(buffer, _stop.Token) == 0)
            {
                break;
            }

            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }

    private static bool TryLoopback(string target, out int port)
    {
        port = 0;
        var colon = target.LastIndexOf(':');
        return colon > 0
            && target[..colon] is "127.0.0.1" or "localhost"
            && int.TryParse(target[(colon + 1)..], out port);
    }
}
