using System.Text;
using MailKit;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Sits in front of a client's protocol logger (if any) and remembers the server's last complete line, because MailKit reports
/// some refusals (IMAP <c>NO</c>, POP3 <c>-ERR</c> to AUTH) only as "Authentication failed." and the server's words are the diagnosis.
/// Only server lines are kept: they never contain a token.
/// </summary>
internal sealed class ServerResponseRecorder(IProtocolLogger? inner) : IProtocolLogger
{
    private const int MaxLineLength = 1000;

    private readonly StringBuilder _line = new();
    private readonly object _gate = new();
    private string? _lastLine;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => inner?.AuthenticationSecretDetector;
        set
        {
            if (inner is not null)
            {
                inner.AuthenticationSecretDetector = value;
            }
        }
    }

    /// <summary>The last complete line the server sent, without its line end.</summary>
    public string? LastServerLine
    {
        get
        {
            lock (_gate)
            {
                return _lastLine;
            }
        }
    }

    public void LogConnect(Uri uri) => inner?.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count) => inner?.LogClient(buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            for (var i = offset; i < offset + count; i++)
            {
                var c = (char)buffer[i];
                if (c == '\n')
                {
                    _lastLine = _line.ToString();
                    _line.Clear();
                }
                else if (c != '\r' && _line.Length < MaxLineLength)
                {
                    _line.Append(c);
                }
            }
        }

        inner?.LogServer(buffer, offset, count);
    }

    public void Dispose() => inner?.Dispose();
}
