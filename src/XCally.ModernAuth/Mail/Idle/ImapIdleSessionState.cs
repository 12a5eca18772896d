namespace XCally.ModernAuth;

/// <summary>What an <see cref="ImapIdleSession"/> is doing.</summary>
public enum ImapIdleSessionState
{
    /// <summary>Not running.</summary>
    Stopped = 0,

    /// <summary>Connecting, signing in with a fresh token and opening INBOX.</summary>
    Connecting,

    /// <summary>Waiting for the server to report new messages (IDLE, or NOOP polling).</summary>
    Idle,

    /// <summary>Running the host's handler.</summary>
    Processing,

    /// <summary>The connection was lost or refused; waiting before the next attempt.</summary>
    WaitingToReconnect,

    /// <summary>
    /// Stopped for good by an error that reconnecting cannot fix (configuration, no TLS, unsupported server, a sign-in to renew, a
    /// protocol switched off, a mailbox permission, the handler's own error); <see cref="ImapIdleSession.LastError"/> holds it.
    /// </summary>
    Faulted,
}
