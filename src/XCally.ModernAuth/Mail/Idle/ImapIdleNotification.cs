using MailKit;
using MailKit.Net.Imap;

namespace XCally.ModernAuth;

/// <summary>
/// What an <see cref="ImapIdleSession"/> hands its handler: the signed-in client and the open INBOX, between two IDLE commands, so the
/// handler may run any command (e.g. <c>Inbox.SearchAsync(SearchQuery.Uids(new UniqueIdRange(lastUid, UniqueId.MaxValue)))</c> and
/// <c>Inbox.GetMessageAsync(uid)</c>). Do not keep the client after the handler returns: the session may replace it on reconnect.
/// </summary>
/// <param name="Client">The connected, authenticated client.</param>
/// <param name="Inbox">INBOX, open with <see cref="ImapIdleOptions.FolderAccess"/>.</param>
/// <param name="Trigger">Why the handler is called.</param>
public sealed record ImapIdleNotification(ImapClient Client, IMailFolder Inbox, ImapIdleTrigger Trigger);
