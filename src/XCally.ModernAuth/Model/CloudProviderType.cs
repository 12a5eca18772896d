namespace XCally.ModernAuth;

/// <summary>What a <see cref="CloudProvider"/> gives access to.</summary>
public enum CloudProviderType
{
    /// <summary>Office 365 / Exchange Online mailboxes (shown as <c>Outlook365</c> in some administration screens; configuration accepts both names).</summary>
    Office365 = 0,
}
