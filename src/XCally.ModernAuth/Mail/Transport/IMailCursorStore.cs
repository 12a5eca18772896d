namespace XCally.ModernAuth;

/// <summary>
/// Keeps where each account's folder was last read (an IMAP UID, a Graph delta link), so that a restarted host reads on from
/// there. The default keeps them in memory; register a store of your own (your database), or <see cref="FileMailCursorStore"/>.
/// Implementations must be thread-safe.
/// </summary>
public interface IMailCursorStore
{
    /// <summary>The saved cursor of an account's folder.</summary>
    /// <param name="accountAddress">The account's address.</param>
    /// <param name="folder">The folder, as the host names it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The cursor, or <see langword="null"/> when the folder was never read.</returns>
    ValueTask<string?> GetAsync(string accountAddress, string folder, CancellationToken cancellationToken = default);

    /// <summary>Saves the cursor of an account's folder.</summary>
    /// <param name="accountAddress">The account's address.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="cursor">The cursor.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the cursor is stored.</returns>
    ValueTask SetAsync(string accountAddress, string folder, string cursor, CancellationToken cancellationToken = default);
}
