namespace XCally.ModernAuth;

/// <summary>A state change of an <see cref="ImapIdleSession"/>.</summary>
public sealed class ImapIdleStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="reconnectAttempt">The number of failed attempts in a row (0 once connected).</param>
    /// <param name="reconnectDelay">The wait before the next attempt, in <see cref="ImapIdleSessionState.WaitingToReconnect"/>.</param>
    /// <param name="error">What ended the connection, in <see cref="ImapIdleSessionState.WaitingToReconnect"/> and <see cref="ImapIdleSessionState.Faulted"/>.</param>
    public ImapIdleStateChangedEventArgs(ImapIdleSessionState state, int reconnectAttempt, TimeSpan? reconnectDelay, Exception? error)
    {
        State = state;
        ReconnectAttempt = reconnectAttempt;
        ReconnectDelay = reconnectDelay;
        Error = error;
    }

    /// <summary>The new state.</summary>
    public ImapIdleSessionState State { get; }

    /// <summary>The number of failed attempts in a row (0 once connected).</summary>
    public int ReconnectAttempt { get; }

    /// <summary>The wait before the next attempt, when waiting to reconnect.</summary>
    public TimeSpan? ReconnectDelay { get; }

    /// <summary>What ended the connection, if anything.</summary>
    public Exception? Error { get; }
}
