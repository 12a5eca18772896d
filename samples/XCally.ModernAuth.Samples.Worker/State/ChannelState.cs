namespace XCally.ModernAuth.Samples.Worker;

/// <summary>
/// Where an account's channel stands in its INBOX: the folder's UIDVALIDITY and the highest UID handled so far. UIDs only grow
/// within one UIDVALIDITY, so "every UID above <see cref="HighestHandledUid"/>" is exactly the mail not handled yet.
/// </summary>
/// <param name="UidValidity">The INBOX's UIDVALIDITY when the UID was recorded; a different value means the UIDs were reset.</param>
/// <param name="HighestHandledUid">The highest UID handled.</param>
public sealed record ChannelState(uint UidValidity, uint HighestHandledUid);
