namespace XCally.ModernAuth.Graph;

/// <summary>Change-notification subscriptions: where Graph posts, how long a subscription lives, when it is renewed.</summary>
public sealed class GraphNotificationOptions
{
    /// <summary>The host's public HTTPS URL that <c>MapGraphNotifications</c> serves, e.g. <c>https://mail.contoso.com/graph/notifications</c>. Required.</summary>
    public Uri? NotificationUrl { get; set; }

    /// <summary>Where lifecycle events go; <see cref="NotificationUrl"/> followed by <c>/lifecycle</c> when unset.</summary>
    public Uri? LifecycleNotificationUrl { get; set; }

    /// <summary>The folder watched. Default <see cref="MailFolderNames.Inbox"/>.</summary>
    public string Folder { get; set; } = MailFolderNames.Inbox;

    /// <summary>How long a subscription is asked for; at most 10,080 minutes (7 days) for Outlook messages. Default 3 days.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long before its expiry a subscription is renewed. Default 12 hours.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often subscriptions are checked for renewal. Default 5 minutes.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
