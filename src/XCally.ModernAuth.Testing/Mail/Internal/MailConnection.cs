using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>A client connection: the socket's stream, TLS once started, a bounded line reader, and timed reads and writes.</summary>
internal sealed class MailConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _readTimeout;
    private Stream _stream;

    public MailConnection(Socket socket, TimeSpan readTimeout)
    {
        _socket = socket;
        _readTimeout = readTimeout;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Reader = new MailLineReader(_stream);
    }

    public MailLineReader Reader { get; private set; }

    public bool IsSecure { get; private set; }

    /// <summary>Starts TLS as the server. Bytes the client pipelined before the handshake are refused (STARTTLS command injection).</summary>
    /// <param name="certificate">The server certificate.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>A task.</returns>
    public async Task StartTlsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        if (Reader.HasBufferedData)
        {
            throw new IOException("The client sent data after STARTTLS before the TLS handshake.");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = CertificateContexts.GetValue(certificate, CreateContext),
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = ssl;
        Reader = new MailLineReader(ssl);
        IsSecure = true;
    }

    // Built once per certificate and offline: otherwise each handshake builds the chain again and looks for its issuers on
    // the network, about a quarter of a second per connection.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Security.Cryptography.X509Certificates.X509Certificate2, SslStreamCertificateContext> CertificateContexts = new();

    private static SslStreamCertificateContext CreateContext(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);

    /// <summary>Reads a line within the read timeout.</summary>
    /// <param name="maxLength">The longest line accepted.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status and line.</returns>
    public async ValueTask<(MailLineStatus Status, string Line)> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var (status, bytes) = await ReadLineBytesAsync(maxLength, cancellationToken).ConfigureAwait(false);
        return (status, Encoding.Latin1.GetString(bytes));
    }

    /// <summary>Reads a line as bytes within the read timeout.</summary>
    /// <param name="maxLength">The longest line accepted.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status and line.</returns>
    public async ValueTask<(MailLineStatus Status, byte[] Line)> ReadLineBytesAsync(int maxLength, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        return await Reader.ReadLineAsync(maxLength, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes within the read timeout.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or <see langword="null"/> at end of stream.</returns>
    public async ValueTask<byte[]?> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        return await Reader.ReadExactAsync(count, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Writes a reply (UTF-8) and flushes it.</summary>
    /// <param name="text">The text, with its line endings.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public Task WriteAsync(string text, CancellationToken cancellationToken) => WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Writes bytes and flushes them, within the read timeout so a client that never reads cannot hold the session.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
        await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Drops the connection at once.</summary>
    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // Closing a broken connection.
        }

        Abort();
    }
}
