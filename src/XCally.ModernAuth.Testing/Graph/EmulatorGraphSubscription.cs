namespace XCally.ModernAuth.Testing;

/// <summary>A change-notification subscription held by the emulator's Microsoft Graph.</summary>
public sealed class EmulatorGraphSubscription
{
    internal EmulatorGraphSubscription(string id, string resource, string changeType, Uri notificationUrl, Uri? lifecycleNotificationUrl, string? clientState, DateTimeOffset expiration, EmulatorMailbox mailbox, string folder, string clientId)
    {
        Id = id;
        Resource = resource;
        ChangeType = changeType;
        NotificationUrl = notificationUrl;
        LifecycleNotificationUrl = lifecycleNotificationUrl;
        ClientState = clientState;
        Expiration = expiration;
        Mailbox = mailbox;
        Folder = folder;
        ClientId = clientId;
    }

    /// <summary>The subscription's id.</summary>
    public string Id { get; }

    /// <summary>The resource, e.g. <c>users/support@contoso.com/mailFolders('inbox')/messages</c>.</summary>
    public string Resource { get; }

    /// <summary>The change types, e.g. <c>created</c>.</summary>
    public string ChangeType { get; }

    /// <summary>Where notifications are posted.</summary>
    public Uri NotificationUrl { get; }

    /// <summary>Where lifecycle notifications are posted.</summary>
    public Uri? LifecycleNotificationUrl { get; }

    /// <summary>The secret the subscriber set, sent back with every notification.</summary>
    internal string? ClientState { get; }

    /// <summary>When the subscription expires (renewed by a PATCH).</summary>
    public DateTimeOffset Expiration { get; internal set; }

    /// <summary>How many times it was renewed.</summary>
    public int Renewals { get; internal set; }

    /// <summary>The mailbox watched.</summary>
    public EmulatorMailbox Mailbox { get; }

    /// <summary>The folder watched.</summary>
    public string Folder { get; }

    internal string ClientId { get; }

    /// <inheritdoc />
    public override string ToString() => $"Subscription {Id} on {Resource} until {Expiration:O}";
}
