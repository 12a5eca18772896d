namespace XCally.ModernAuth.Samples.Worker;

/// <summary>What an account's email channel is doing.</summary>
public enum AccountStatus
{
    /// <summary>Not started yet.</summary>
    Starting = 0,

    /// <summary>Getting a token, connecting and signing in to IMAP (or, on Graph, the first delta request).</summary>
    Connecting,

    /// <summary>Connected and handling new messages.</summary>
    Connected,

    /// <summary>Connected and waiting for mail with IMAP IDLE (or, on Graph, waiting for the next delta poll).</summary>
    Idle,

    /// <summary>The connection was lost or refused; the IDLE session reconnects with a fresh token after a back-off.</summary>
    Reconnecting,

    /// <summary>Stopped by an error a reconnect cannot fix; the supervisor restarts the account after its own back-off.</summary>
    Failed,

    /// <summary>Stopped with the host.</summary>
    Stopped,
}
