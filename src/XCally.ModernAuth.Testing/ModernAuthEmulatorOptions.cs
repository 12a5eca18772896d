namespace XCally.ModernAuth.Testing;

/// <summary>How <see cref="ModernAuthEmulator.StartAsync"/> sets up the emulator.</summary>
public sealed class ModernAuthEmulatorOptions
{
    /// <summary>The clock of both servers; a <c>FakeTimeProvider</c> lets a test expire tokens. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The verified domain of the tenant the emulator registers. Default <c>contoso.onmicrosoft.com</c>.</summary>
    public string TenantDomain { get; set; } = "contoso.onmicrosoft.com";

    /// <summary>
    /// The local parts of the mailboxes registered in that tenant, each with full access granted to the application
    /// (like <c>Add-MailboxPermission</c>). Default <c>support</c> and <c>sales</c>.
    /// </summary>
    public IList<string> Mailboxes { get; } = new List<string> { "support", "sales" };

    /// <summary>
    /// The local parts of users registered in that tenant with their own mailbox, for the delegated flow (see
    /// <see cref="ModernAuthEmulator.AddUserWithMailbox"/>). Default none.
    /// </summary>
    public IList<string> UsersWithMailboxes { get; } = new List<string>();

    /// <summary>The redirect URI registered on the application for the delegated flow. Default <c>https://localhost/signin-xcally</c>.</summary>
    public string RedirectUri { get; set; } = "https://localhost/signin-xcally";

    /// <summary>Settings of the identity platform (token lifetimes, logging).</summary>
    public EmulatorIdentityServerOptions Identity { get; set; } = new();

    /// <summary>Settings of the mail servers (limits, timeouts, logging).</summary>
    public EmulatorMailServerOptions Mail { get; set; } = new();
}
