namespace XCally.ModernAuth;

/// <summary>What a <see cref="ModernAuthStatusEntry"/> is about.</summary>
public enum ModernAuthStatusSubject
{
    /// <summary>A cloud provider: its credential and its app-only token.</summary>
    CloudProvider = 0,

    /// <summary>An email account: its delegated sign-in, its mail sign-ins, its IDLE session.</summary>
    EmailAccount,
}
