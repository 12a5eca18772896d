namespace XCally.ModernAuth;

/// <summary>The messages <see cref="IMailTransport.ReadNewAsync"/> found, and the cursor that <see cref="IMailTransport.CommitAsync"/> saves.</summary>
public sealed class IncomingMailBatch
{
    /// <summary>Creates a batch (for transports outside this package).</summary>
    /// <param name="accountAddress">The account's address.</param>
    /// <param name="folder">The folder read.</param>
    /// <param name="messages">The messages, oldest first.</param>
    /// <param name="cursor">Where the next read starts once this batch is committed (opaque to hosts).</param>
    /// <param name="hasMore">Whether more new messages wait beyond this batch.</param>
    public IncomingMailBatch(string accountAddress, string folder, IReadOnlyList<IncomingMessage> messages, string cursor, bool hasMore)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountAddress);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(cursor);
        AccountAddress = accountAddress;
        Folder = folder;
        Messages = messages;
        Cursor = cursor;
        HasMore = hasMore;
    }

    /// <summary>The account's address.</summary>
    public string AccountAddress { get; }

    /// <summary>The folder read.</summary>
    public string Folder { get; }

    /// <summary>The new messages, oldest first.</summary>
    public IReadOnlyList<IncomingMessage> Messages { get; }

    /// <summary>The position after this batch, saved by <see cref="IMailTransport.CommitAsync"/>; opaque, never a token or secret.</summary>
    public string Cursor { get; }

    /// <summary>Whether more new messages wait: read again after committing.</summary>
    public bool HasMore { get; }

    /// <inheritdoc />
    public override string ToString() => $"IncomingMailBatch {AccountAddress}/{Folder}: {Messages.Count} message(s){(HasMore ? ", more waiting" : string.Empty)}";
}
