namespace XCally.ModernAuth.Testing.Tests.Directory;

public class EmulatorDirectoryTests
{
    [Fact]
    public void FindTenant_ByDomain_ReturnsTenant()
    {
        var directory = new EmulatorDirectory();
        var tenant = directory.AddTenant("contoso.onmicrosoft.com");

        Assert.Same(tenant, directory.FindTenant("CONTOSO.onmicrosoft.com"));
        Assert.Same(tenant, directory.FindTenant(tenant.TenantId));
    }

    [Fact]
    public void GrantFullAccess_ThenRevoke_HasFullAccessFollows()
    {
        var directory = new EmulatorDirectory();
        var tenant = directory.AddTenant("contoso.onmicrosoft.com");
        var app = directory.AddApplication(tenant, "helpdesk");
        var mailbox = directory.AddMailbox(tenant, "support@contoso.onmicrosoft.com");

        mailbox.GrantFullAccess(app);
        Assert.True(mailbox.HasFullAccess(app.ClientId));

        mailbox.RevokeFullAccess(app);
        Assert.False(mailbox.HasFullAccess(app.ClientId));
    }
}
