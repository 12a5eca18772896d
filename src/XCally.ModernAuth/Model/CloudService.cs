namespace XCally.ModernAuth;

/// <summary>The cloud service that issues tokens for a <see cref="CloudProvider"/>.</summary>
public enum CloudService
{
    /// <summary>Microsoft Azure: the Microsoft identity platform (Microsoft Entra ID).</summary>
    MicrosoftAzure = 0,
}
