using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace XCally.ModernAuth.Testing.Tests.Mail;

/// <summary>A bare TCP (optionally TLS) client for sending what no real client would: garbage, overlong lines, half commands.</summary>
internal sealed class RawMailClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private StreamReader _reader;

    private RawMailClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public static async Task<RawMailClient> ConnectAsync(int port, bool tls)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        var client = new RawMailClient(tcp);
        if (tls)
        {
            await client.StartTlsAsync();
        }

        return client;
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var timeout = Timeout();
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        _stream = ssl;
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public async Task WriteAsync(string text) => await WriteAsync(Encoding.Latin1.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        using var timeout = Timeout();
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>Reads a line, or <see langword="null"/> when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = Timeout();
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; <see langword="null"/> when the connection closes first.</summary>
    public async Task<string?> ReadUntilAsync(string prefix)
    {
        for (var i = 0; i < 1000; i++)
        {
            var line = await ReadLineAsync();
            if (line is null || line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>Reads until the server closes the connection (or errors), bounded.</summary>
    public async Task<bool> ReadToCloseAsync()
    {
        try
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (await ReadLineAsync() is null)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private static CancellationTokenSource Timeout()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(20));
        return source;
    }
}
