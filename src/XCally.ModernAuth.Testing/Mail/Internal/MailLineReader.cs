namespace XCally.ModernAuth.Testing.Mail.Internal;

/// <summary>How a line read ended.</summary>
internal enum MailLineStatus
{
    /// <summary>A complete line.</summary>
    Line,

    /// <summary>The line was longer than allowed; it was read and thrown away.</summary>
    TooLong,

    /// <summary>The client closed the connection, or sent an endless line.</summary>
    Closed,
}

/// <summary>Reads CRLF-terminated lines and exact byte counts from a stream, never buffering more than a bounded amount.</summary>
internal sealed class MailLineReader
{
    /// <summary>How much of an overlong line is read and thrown away before the connection is given up.</summary>
    private const int MaxDiscard = 1024 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public MailLineReader(Stream stream) => _stream = stream;

    /// <summary>Whether bytes the client sent are waiting in the buffer (must be none when TLS starts).</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>Reads one line without its line ending.</summary>
    /// <param name="maxLength">The longest line accepted.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status and, for <see cref="MailLineStatus.Line"/>, the line's bytes.</returns>
    public async ValueTask<(MailLineStatus Status, byte[] Line)> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new List<byte>(Math.Min(maxLength, 256));
        var length = 0;
        var tooLong = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var take = (newline >= 0 ? newline : _end) - _start;
            length += take;
            if (!tooLong && length <= maxLength + 1)
            {
                line.AddRange(new ArraySegment<byte>(_buffer, _start, take));
            }
            else
            {
                tooLong = true;
                line.Clear();
            }

            if (newline >= 0)
            {
                _start = newline + 1;
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return tooLong || line.Count > maxLength ? (MailLineStatus.TooLong, []) : (MailLineStatus.Line, line.ToArray());
            }

            _start = _end;
            if (length > maxLength + MaxDiscard || !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return (MailLineStatus.Closed, []);
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or <see langword="null"/> when the client closed the connection first.</returns>
    public async ValueTask<byte[]?> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var take = Math.Min(count - filled, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
