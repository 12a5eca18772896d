using System.Collections.Concurrent;

namespace XCally.ModernAuth.Testing;

/// <summary>
/// Who may open the mailbox and send from it, as Exchange Online keeps it: Full Access (<c>Add-MailboxPermission</c>), Send As
/// (<c>Add-RecipientPermission</c>) and Send on Behalf (<c>Set-Mailbox -GrantSendOnBehalfTo</c>), each for users and, except Send
/// on Behalf, for applications' service principals. The owner of a user's mailbox holds all three on it.
/// </summary>
public sealed partial class EmulatorMailbox
{
    private readonly ConcurrentDictionary<string, byte> _fullAccessApplications = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _fullAccessUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _sendAsApplications = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _sendAsUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _sendOnBehalfUsers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The client ids of the applications granted full access (Exchange's <c>Add-MailboxPermission</c>).</summary>
    public IEnumerable<string> FullAccessApplications => _fullAccessApplications.Keys;

    /// <summary>The user principal names of the users granted full access (the owner not included).</summary>
    public IEnumerable<string> FullAccessUsers => _fullAccessUsers.Keys;

    /// <summary>The client ids of the applications whose service principals may send as this mailbox (<c>Add-RecipientPermission -AccessRights SendAs</c>).</summary>
    public IEnumerable<string> SendAsApplications => _sendAsApplications.Keys;

    /// <summary>The user principal names of the users who may send as this mailbox (the owner not included).</summary>
    public IEnumerable<string> SendAsUsers => _sendAsUsers.Keys;

    /// <summary>The user principal names of the users who may send on behalf of this mailbox (<c>Set-Mailbox -GrantSendOnBehalfTo</c>).</summary>
    public IEnumerable<string> SendOnBehalfUsers => _sendOnBehalfUsers.Keys;

    /// <summary>Grants an application full access to this mailbox, like <c>Add-MailboxPermission -User &lt;servicePrincipalId&gt; -AccessRights FullAccess</c>.</summary>
    /// <param name="application">The application.</param>
    public void GrantFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications[application.ClientId] = 0;
    }

    /// <summary>
    /// Grants a user full access to this mailbox, like <c>Add-MailboxPermission -Identity &lt;mailbox&gt; -User &lt;user&gt;
    /// -AccessRights FullAccess</c>: their delegated token then opens it over IMAP and POP3 with the mailbox's address as <c>user=</c>.
    /// </summary>
    /// <param name="user">The user.</param>
    public void GrantFullAccess(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _fullAccessUsers[user.UserPrincipalName] = 0;
    }

    /// <summary>Takes full access away from an application, like <c>Remove-MailboxPermission</c>.</summary>
    /// <param name="application">The application.</param>
    public void RevokeFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications.TryRemove(application.ClientId, out _);
    }

    /// <summary>Takes full access away from a user, like <c>Remove-MailboxPermission</c>.</summary>
    /// <param name="user">The user.</param>
    public void RevokeFullAccess(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _fullAccessUsers.TryRemove(user.UserPrincipalName, out _);
    }

    /// <summary>Whether an application has full access to this mailbox.</summary>
    /// <param name="clientId">The application's client id.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasFullAccess(string clientId) => _fullAccessApplications.ContainsKey(clientId);

    /// <summary>Whether a user has full access to this mailbox: its owner, or granted.</summary>
    /// <param name="user">The user.</param>
    /// <returns><see langword="true"/> when the user may open it.</returns>
    public bool HasFullAccess(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsOwner(user.UserPrincipalName) || _fullAccessUsers.ContainsKey(user.UserPrincipalName);
    }

    /// <summary>Lets an application's service principal send as this mailbox, like <c>Add-RecipientPermission -Trustee &lt;servicePrincipalId&gt; -AccessRights SendAs</c>.</summary>
    /// <param name="application">The application.</param>
    public void GrantSendAs(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _sendAsApplications[application.ClientId] = 0;
    }

    /// <summary>Lets a user send as this mailbox, like <c>Add-RecipientPermission -Identity &lt;mailbox&gt; -Trustee &lt;user&gt; -AccessRights SendAs</c>.</summary>
    /// <param name="user">The user.</param>
    public void GrantSendAs(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _sendAsUsers[user.UserPrincipalName] = 0;
    }

    /// <summary>Takes Send As away from an application, like <c>Remove-RecipientPermission</c>.</summary>
    /// <param name="application">The application.</param>
    public void RevokeSendAs(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _sendAsApplications.TryRemove(application.ClientId, out _);
    }

    /// <summary>Takes Send As away from a user, like <c>Remove-RecipientPermission</c>.</summary>
    /// <param name="user">The user.</param>
    public void RevokeSendAs(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _sendAsUsers.TryRemove(user.UserPrincipalName, out _);
    }

    /// <summary>Whether an application's service principal may send as this mailbox.</summary>
    /// <param name="application">The application.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasSendAs(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return _sendAsApplications.ContainsKey(application.ClientId);
    }

    /// <summary>Whether a user may send as this mailbox: its owner, or granted.</summary>
    /// <param name="user">The user.</param>
    /// <returns><see langword="true"/> when the user may.</returns>
    public bool HasSendAs(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsOwner(user.UserPrincipalName) || _sendAsUsers.ContainsKey(user.UserPrincipalName);
    }

    /// <summary>
    /// Lets a user send on behalf of this mailbox, like <c>Set-Mailbox -Identity &lt;mailbox&gt; -GrantSendOnBehalfTo @{Add="&lt;user&gt;"}</c>:
    /// a message from this mailbox with <c>Sender:</c> the user is accepted.
    /// </summary>
    /// <param name="user">The user.</param>
    public void GrantSendOnBehalf(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _sendOnBehalfUsers[user.UserPrincipalName] = 0;
    }

    /// <summary>Takes Send on Behalf away from a user, like <c>Set-Mailbox -GrantSendOnBehalfTo @{Remove="&lt;user&gt;"}</c>.</summary>
    /// <param name="user">The user.</param>
    public void RevokeSendOnBehalf(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _sendOnBehalfUsers.TryRemove(user.UserPrincipalName, out _);
    }

    /// <summary>Whether a user may send on behalf of this mailbox.</summary>
    /// <param name="user">The user.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasSendOnBehalf(EmulatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _sendOnBehalfUsers.ContainsKey(user.UserPrincipalName);
    }

    /// <summary>
    /// Gives a user what opening and answering from this (shared) mailbox takes, over IMAP/POP3/SMTP and over Microsoft Graph
    /// with the <c>.Shared</c> delegated permissions: Full Access (<c>Add-MailboxPermission -AccessRights FullAccess</c>) and
    /// Send As (<c>Add-RecipientPermission -AccessRights SendAs</c>).
    /// </summary>
    /// <param name="user">The user.</param>
    public void GrantUserAccess(EmulatorUser user)
    {
        GrantFullAccess(user);
        GrantSendAs(user);
    }

    /// <summary>Whether a user holds Full Access to this mailbox (granted, or with <see cref="GrantUserAccess"/>), its owner not counted.</summary>
    /// <param name="userPrincipalName">The user's principal name.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasUserAccess(string userPrincipalName) => _fullAccessUsers.ContainsKey(userPrincipalName);

    /// <summary>Whether a user (not the owner) may send from this mailbox: Send As, or Send on Behalf.</summary>
    internal bool MaySendFrom(string userPrincipalName) =>
        _sendAsUsers.ContainsKey(userPrincipalName) || _sendOnBehalfUsers.ContainsKey(userPrincipalName);

    private bool IsOwner(string userPrincipalName) =>
        Owner is { } owner && string.Equals(owner.UserPrincipalName, userPrincipalName, StringComparison.OrdinalIgnoreCase);
}
