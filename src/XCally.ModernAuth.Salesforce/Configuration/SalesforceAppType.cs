namespace XCally.ModernAuth.Salesforce;

/// <summary>The kind of Salesforce app the provider's Consumer Key belongs to.</summary>
public enum SalesforceAppType
{
    /// <summary>A connected app (<em>Setup → App Manager</em>). New ones need a Salesforce Support request since Spring '26.</summary>
    ConnectedApp = 0,

    /// <summary>An External Client App (<em>Setup → External Client App Manager</em>), which replaces connected apps; it has no username-password flow.</summary>
    ExternalClientApp = 1,
}
