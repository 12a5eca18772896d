using System.Collections.Concurrent;

namespace XCally.ModernAuth.Testing;

/// <summary>A mailbox on the emulator's mail servers.</summary>
public sealed class EmulatorMailbox
{
    private readonly ConcurrentDictionary<string, byte> _fullAccessApplications = new(StringComparer.OrdinalIgnoreCase);

    internal EmulatorMailbox(EmulatorTenant tenant, string address, EmulatorUser? owner)
    {
        Tenant = tenant;
        Address = address;
        Owner = owner;
    }

    /// <summary>The mailbox's tenant.</summary>
    public EmulatorTenant Tenant { get; }

    /// <summary>The mailbox's address (the login name on the mail servers).</summary>
    public string Address { get; }

    /// <summary>The user whose mailbox it is, or <see langword="null"/> for a shared mailbox.</summary>
    public EmulatorUser? Owner { get; }

    /// <summary>Whether SMTP AUTH is enabled for the mailbox; when <see langword="false"/> SMTP logins get <c>535 5.7.139</c>. Default <see langword="true"/>.</summary>
    public bool SmtpAuthEnabled { get; set; } = true;

    /// <summary>The client ids of the applications granted full access (Exchange's <c>Add-MailboxPermission</c>).</summary>
    public IEnumerable<string> FullAccessApplications => _fullAccessApplications.Keys;

    /// <summary>Grants an application full access to this mailbox, like <c>Add-MailboxPermission -AccessRights FullAccess</c>.</summary>
    /// <param name="application">The application.</param>
    public void GrantFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications[application.ClientId] = 0;
    }

    /// <summary>Takes full access away from an application, like <c>Remove-MailboxPermission</c>.</summary>
    /// <param name="application">The application.</param>
    public void RevokeFullAccess(EmulatorApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _fullAccessApplications.TryRemove(application.ClientId, out _);
    }

    /// <summary>Whether an application has full access to this mailbox.</summary>
    /// <param name="clientId">The application's client id.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public bool HasFullAccess(string clientId) => _fullAccessApplications.ContainsKey(clientId);

    /// <inheritdoc />
    public override string ToString() => Address;
}
