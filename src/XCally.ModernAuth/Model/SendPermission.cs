namespace XCally.ModernAuth;

/// <summary>
/// Which Exchange permission an <see cref="EmailAccount"/> served by another user's sign-in (<see cref="EmailAccount.SignInUser"/>)
/// sends from the mailbox's address with. A mailbox's own user, and an application sending as the mailbox it logs in to, need neither.
/// </summary>
public enum SendPermission
{
    /// <summary>
    /// Send As (<c>Add-RecipientPermission -Identity &lt;mailbox&gt; -Trustee &lt;user&gt; -AccessRights SendAs</c>): the message is
    /// from the mailbox's address alone, and SMTP's <c>MAIL FROM</c> is that address. The default.
    /// </summary>
    SendAs = 0,

    /// <summary>
    /// Send on Behalf (<c>Set-Mailbox -Identity &lt;mailbox&gt; -GrantSendOnBehalfTo &lt;user&gt;</c>): the message is from the
    /// mailbox's address with a <c>Sender:</c> header of the signed-in user, and SMTP's <c>MAIL FROM</c> is the signed-in user;
    /// recipients see "user on behalf of mailbox".
    /// </summary>
    SendOnBehalf = 1,
}
