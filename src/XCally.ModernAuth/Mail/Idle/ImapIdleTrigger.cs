namespace XCally.ModernAuth;

/// <summary>Why an <see cref="ImapIdleSession"/> called the host's handler.</summary>
public enum ImapIdleTrigger
{
    /// <summary>The session connected for the first time: catch up on what arrived while the host was not watching.</summary>
    Connected = 0,

    /// <summary>The session reconnected after losing the connection: catch up on what arrived meanwhile.</summary>
    Reconnected,

    /// <summary>The server reported new messages (an <c>EXISTS</c> response that raised the count).</summary>
    NewMessages,
}
