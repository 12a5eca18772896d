namespace XCally.ModernAuth;

/// <summary>
/// Folder names every <see cref="IMailTransport"/> understands: Graph's well-known folder names, mapped to Exchange's IMAP folders
/// (<c>INBOX</c>, <c>Deleted Items</c>…). Any other name is a folder's own name.
/// </summary>
public static class MailFolderNames
{
    /// <summary>The inbox.</summary>
    public const string Inbox = "Inbox";

    /// <summary>Sent Items.</summary>
    public const string SentItems = "SentItems";

    /// <summary>Deleted Items.</summary>
    public const string DeletedItems = "DeletedItems";

    /// <summary>Drafts.</summary>
    public const string Drafts = "Drafts";

    /// <summary>Junk Email.</summary>
    public const string JunkEmail = "JunkEmail";

    /// <summary>Archive.</summary>
    public const string Archive = "Archive";

    /// <summary>The IMAP folder of a name as Exchange Online shows it: <c>INBOX</c>, <c>Sent Items</c>, <c>Deleted Items</c>…</summary>
    /// <param name="folder">A well-known name or a folder's name.</param>
    /// <returns>The IMAP folder's path.</returns>
    public static string ToImapFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return folder.ToUpperInvariant() switch
        {
            "INBOX" => "INBOX",
            "SENTITEMS" => "Sent Items",
            "DELETEDITEMS" => "Deleted Items",
            "DRAFTS" => "Drafts",
            "JUNKEMAIL" => "Junk Email",
            "ARCHIVE" => "Archive",
            _ => folder,
        };
    }

    /// <summary>Whether a name is one of the well-known names (compared without case).</summary>
    /// <param name="folder">The name.</param>
    /// <returns><see langword="true"/> for <c>Inbox</c>, <c>SentItems</c>, <c>DeletedItems</c>, <c>Drafts</c>, <c>JunkEmail</c>, <c>Archive</c>.</returns>
    public static bool IsWellKnown(string folder) =>
        folder.ToUpperInvariant() is "INBOX" or "SENTITEMS" or "DELETEDITEMS" or "DRAFTS" or "JUNKEMAIL" or "ARCHIVE";
}
