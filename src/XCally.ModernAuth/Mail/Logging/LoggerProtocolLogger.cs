using System.Text;
using MailKit;
using Microsoft.Extensions.Logging;

namespace XCally.ModernAuth.Internal;

/// <summary>
/// Writes a MailKit protocol transcript to an <see cref="ILogger"/> at Trace, one entry per line. Always used behind a
/// <see cref="RedactingProtocolLogger"/>, which removes secrets before they get here.
/// </summary>
internal sealed partial class LoggerProtocolLogger(ILogger logger, string account, MailProtocol protocol) : IProtocolLogger
{
    // Long server lines (message bodies) are cut; the transcript is for diagnosing the dialogue, not for copying mail.
    private const int MaxLineLength = 2000;

    private readonly StringBuilder _client = new();
    private readonly StringBuilder _server = new();

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public void LogConnect(Uri uri)
    {
        Flush(_client, "C");
        Flush(_server, "S");
        LogConnected(logger, account, protocol, uri);
    }

    public void LogClient(byte[] buffer, int offset, int count) => Append(_client, "C", buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count) => Append(_server, "S", buffer, offset, count);

    public void Dispose()
    {
        Flush(_client, "C");
        Flush(_server, "S");
    }

    private void Append(StringBuilder line, string direction, byte[] buffer, int offset, int count)
    {
        if (!logger.IsEnabled(LogLevel.Trace))
        {
            return;
        }

        foreach (var c in Encoding.UTF8.GetString(buffer, offset, count))
        {
            if (c == '\n')
            {
                Flush(line, direction);
            }
            else if (c != '\r' && line.Length < MaxLineLength)
            {
                line.Append(c);
            }
        }
    }

    private void Flush(StringBuilder line, string direction)
    {
        if (line.Length == 0)
        {
            return;
        }

        LogLine(logger, account, protocol, direction, line.ToString());
        line.Clear();
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Trace, Message = "{Account} {Protocol} connected to {Uri}")]
    private static partial void LogConnected(ILogger logger, string account, MailProtocol protocol, Uri uri);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Trace, Message = "{Account} {Protocol} {Direction}: {Line}")]
    private static partial void LogLine(ILogger logger, string account, MailProtocol protocol, string direction, string line);
}
